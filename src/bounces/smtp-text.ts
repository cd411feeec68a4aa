/**
 * SMTP text helpers that the format parsers and the classifier share: the enhanced status code,
 * reply code and SMTP command found in diagnostic text, and the normalised copy of a diagnostic
 * that phrase tables match against. Every expression here is linear: fixed-width digits, no
 * nested or overlapping quantifiers.
 */

/** `5.1.1`, `4.7.26`, `5.1.351`; not part of an IP address or a version number (`192.0.5.4.4`). */
const ENHANCED_CODE = /(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?![\w]|\.\d)/g;

/** A reply code where replies start: at the beginning, after `said:`, `<<<`, `;`, `(`, `#`... */
const REPLY_CODE = /(?:^|[\s:;(\[#<>'"=])([45][0-9]\d)(?=[\s\-:.,;)\]]|$)/g;

/** The status classes an enhanced code may have; anything else (`3.1.1`, `5.1`) is not one. */
export function cleanStatus(status: string | null | undefined): string | null {
  if (!status) return null;
  const match = /^\s*([245])\.(\d{1,3})\.(\d{1,3})/.exec(status);
  return match ? `${match[1]}.${match[2]}.${match[3]}` : null;
}

/**
 * How much an enhanced code says: failure classes (4, 5) over success (2, the `250 2.1.5 Ok`
 * lines of a transcript), then a specific detail (`5.1.1`) over `5.1.0` over `5.0.0`.
 */
export function statusWeight(code: string): number {
  const [klass, subject, detail] = code.split('.');
  return (klass === '2' ? 0 : 10) + (detail !== '0' ? 2 : subject !== '0' ? 1 : 0);
}

/** The most telling enhanced code in the text (the first of the best weight), or null. */
export function findEnhancedStatus(text: string): string | null {
  let best: string | null = null;
  let bestWeight = -1;
  ENHANCED_CODE.lastIndex = 0;
  for (let match = ENHANCED_CODE.exec(text); match; match = ENHANCED_CODE.exec(text)) {
    const code = `${match[1]}.${match[2]}.${match[3]}`;
    const weight = statusWeight(code);
    if (weight > bestWeight) {
      best = code;
      bestWeight = weight;
      if (weight === 12) break;
    }
  }
  return best;
}

/** The first 4xx/5xx reply code in the text, or null. */
export function findReplyCode(text: string): string | null {
  REPLY_CODE.lastIndex = 0;
  const match = REPLY_CODE.exec(text);
  return match ? match[1]! : null;
}

/**
 * Which SMTP command the remote server was answering, from the usual phrasings of Postfix
 * (`in reply to RCPT TO command`), Exim (`after RCPT TO:`), Sendmail transcripts (`>>> RCPT To:`)
 * and others. Works on normalised (lower-case) text.
 */
const COMMAND_PHRASES: ReadonlyArray<readonly [string, string]> = [
  ['in reply to rcpt to', 'RCPT'],
  ['after rcpt to', 'RCPT'],
  ['>>> rcpt to', 'RCPT'],
  ['smtp:rcpt', 'RCPT'],
  ['following rcpt', 'RCPT'],
  ['does not like recipient', 'RCPT'],
  ['did not like our rcpt to', 'RCPT'],
  ['rcpt to:', 'RCPT'],
  ['rcpt to command', 'RCPT'],
  ['in reply to mail from', 'MAIL'],
  ['after mail from', 'MAIL'],
  ['>>> mail from', 'MAIL'],
  ['smtp:mail', 'MAIL'],
  ['in reply to end of data', 'DATA'],
  ['after end of data', 'DATA'],
  ['in reply to data', 'DATA'],
  ['after data', 'DATA'],
  ['did not like our final data', 'DATA'],
  ['>>> data', 'DATA'],
  ['smtp:data', 'DATA'],
  ['in reply to ehlo', 'EHLO'],
  ['in reply to helo', 'HELO'],
  ['after ehlo', 'EHLO'],
  ['after helo', 'HELO'],
  ['after initial connection', 'CONN'],
  ['in reply to starttls', 'STARTTLS'],
];

export function findCommand(normalizedText: string): string | null {
  let best: string | null = null;
  let bestAt = Infinity;
  for (const [phrase, command] of COMMAND_PHRASES) {
    const at = normalizedText.indexOf(phrase);
    if (at !== -1 && at < bestAt) {
      best = command;
      bestAt = at;
    }
  }
  return best;
}

/** `RCPT TO` / `rcpt` / `MAIL FROM` as parsers may report it -> `RCPT`, `MAIL`, ... */
export function normalizeCommand(command: string | null | undefined): string | null {
  if (!command) return null;
  const word = command.trim().toUpperCase().split(/[\s:]/, 1)[0] ?? '';
  if (word === 'END') return 'DATA';
  return word === '' ? null : word;
}

// ---------------------------------------------------------------------------------------------
// Normalised diagnostics

/**
 * The copy of a diagnostic that phrase tables are matched against: at most the first 4 KiB
 * (remote text is hostile and the useful part is at the start), lower-case, blanks collapsed,
 * and the `550-5.7.1` continuation prefixes of flattened multi-line replies removed so that
 * phrases split across reply lines match again.
 */
export const MAX_DIAGNOSTIC = 4096;

/** `550`, `550-`, `550-5.7.1`, `550-5.7.1-` as one word. */
const REPLY_WORD = /^([245]\d\d)(?:-([245]\.\d{1,3}\.\d{1,3}))?-?$/;
const STATUS_WORD = /^[245]\.\d{1,3}\.\d{1,3}$/;

export function normalizeDiagnostic(text: string | null | undefined): string {
  if (!text) return '';
  // Typographic apostrophes and quotes (`doesn’t`) read as the ASCII ones the tables use.
  const words = text
    .slice(0, MAX_DIAGNOSTIC)
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .split(/\s+/);
  const kept: string[] = [];
  let reply: string | null = null;
  let status: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '') continue;
    const match = REPLY_WORD.exec(word);
    if (!match) {
      kept.push(word);
      continue;
    }
    const next = words[i + 1] ?? '';
    const wordStatus = match[2] ?? (STATUS_WORD.test(next) ? next : null);
    if (reply === null) {
      // The first reply code is the reply; later equal ones are continuation prefixes.
      reply = match[1]!;
      status = wordStatus;
      kept.push(reply);
      if (match[2]) kept.push(match[2]);
    } else if (match[1] === reply) {
      if (!match[2] && status !== null && next === status) i++;
    } else {
      kept.push(word);
    }
  }
  return kept.join(' ');
}
