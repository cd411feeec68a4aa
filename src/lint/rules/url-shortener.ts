import { readFileSync } from 'node:fs';
import { isWebLink } from '../links.js';
import { linkWhere, type LintRule, type RuleFinding } from '../view.js';

let shorteners: Set<string> | null = null;

/** data/url-shorteners.txt: public shortener domains, one a line (".x.example": any host under x.example). */
function shortenerDomains(): Set<string> {
  if (shorteners) return shorteners;
  const text = readFileSync(new URL('../../../data/url-shorteners.txt', import.meta.url), 'utf8');
  shorteners = new Set(
    text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim().toLowerCase())
      .filter(Boolean),
  );
  return shorteners;
}

function isShortener(host: string, list: Set<string>): boolean {
  if (list.has(host)) return true;
  for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
    if (list.has(host.slice(dot))) return true;
  }
  return false;
}

export const urlShortener: LintRule = {
  id: 'url-shortener',
  summary: 'links through public URL shorteners',
  check(view) {
    const list = shortenerDomains();
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const link of [...view.htmlLinks, ...view.textLinks]) {
      if (!isWebLink(link) || link.host === null || seen.has(link.href)) continue;
      const host = link.host.replace(/^www\./, '');
      if (!isShortener(host, list)) continue;
      seen.add(link.href);
      findings.push({
        severity: 'warning',
        where: linkWhere(view, link),
        message: `the link ${link.href} goes through the public shortener ${host}; spammers hide behind shorteners, so filters distrust them`,
        fix: "Link to the real address, on your own domain (or your ESP's branded tracking domain).",
        evidence: link.href,
      });
    }
    return findings;
  },
};
