import { lineAtOffset } from '../html.js';
import { findPhrases, phraseLists } from '../phrases.js';
import { bodyOffsetWhere, bodyWhere, headerWhere, type LintRule, type RuleFinding } from '../view.js';
import type { Where } from '../types.js';

export const spamPhrases: LintRule = {
  id: 'spam-phrases',
  summary: 'trigger phrases of the spam-phrase lists (en, zh, fr, de, es, pt, ...), in the subject, the text or alt texts',
  check(view) {
    const lists = phraseLists();
    const places = new Map<string, { language: string; where: Where; seen: string[] }>();
    const note = (phrase: string, language: string, where: Where, label: string) => {
      const key = `${language}\u0000${phrase}`;
      const known = places.get(key);
      if (known) {
        if (!known.seen.includes(label)) known.seen.push(label);
      } else places.set(key, { language, where, seen: [label] });
    };
    for (const hit of findPhrases(view.message.subject ?? '', lists))
      note(hit.phrase, hit.language, headerWhere(view, 'subject'), 'the subject');
    for (const body of view.bodies) {
      for (const hit of findPhrases(body.located.text, lists)) {
        const where = bodyOffsetWhere(view, body, hit.offset);
        note(hit.phrase, hit.language, where, `${body.area}${where.line ? ` line ${where.line}` : ''}`);
      }
    }
    if (view.html) {
      const alt = view.html.altText;
      for (const hit of findPhrases(alt.text, lists)) {
        const line = lineAtOffset(alt, hit.offset);
        note(hit.phrase, hit.language, bodyWhere(view, 'text/html', line), `an image's alt text${line ? ` (text/html line ${line})` : ''}`);
      }
    }
    const findings: RuleFinding[] = [];
    for (const [key, place] of places) {
      const phrase = key.split('\u0000')[1]!;
      findings.push({
        severity: 'warning',
        where: place.where,
        message: `"${phrase}" (${place.language}) is a spam trigger phrase; found in ${place.seen.join(', ')}`,
        fix: 'Say it in plain words of your own; filters weigh these phrases, and several together can send the message to spam.',
        evidence: phrase,
      });
    }
    return findings;
  },
};
