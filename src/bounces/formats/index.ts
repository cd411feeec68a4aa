/** Every bounce source format hygiene reads, in the order detection ties are broken. */
import type { FormatParser, ParseContext, ParseItem } from '../types.js';
import { emlFormat, readWholeMessage } from './eml.js';
import { eximFormat } from './exim.js';
import { genericCsvFormat, genericJsonlFormat, looksLikeAddressList } from './generic.js';
import { mayHoldJsonKey } from './fields/json-records.js';
import { mayHoldSyslogLine } from './fields/log-fields.js';
import { harakaFormat, mayBeHaraka } from './haraka.js';
import { mailchimpFormat } from './mailchimp.js';
import { mailgunFormat } from './mailgun.js';
import { mandrillFormat } from './mandrill.js';
import { mboxFormat, readWholeMailbox } from './mbox.js';
import { postfixFormat } from './postfix.js';
import { postmarkFormat } from './postmark.js';
import { qmailFormat } from './qmail.js';
import { resendFormat } from './resend.js';
import { mayBePowermta, powermtaFormat } from './powermta.js';
import { sendgridFormat } from './sendgrid.js';
import { sendmailFormat } from './sendmail.js';
import { sesFormat } from './ses.js';
import { sparkpostFormat } from './sparkpost.js';

export const FORMATS: readonly FormatParser[] = [
  postfixFormat,
  eximFormat,
  sendmailFormat,
  qmailFormat,
  powermtaFormat,
  harakaFormat,
  sesFormat,
  sendgridFormat,
  mailgunFormat,
  postmarkFormat,
  sparkpostFormat,
  mandrillFormat,
  resendFormat,
  mailchimpFormat,
  mboxFormat,
  emlFormat,
  genericCsvFormat,
  genericJsonlFormat,
];

export function formatByName(name: string): FormatParser | undefined {
  return FORMATS.find((format) => format.name === name.toLowerCase());
}

/**
 * Reads a whole input already in memory at once: how many lines it has and what `parse` would
 * yield from them; null when it must be read by `parse` after all.
 */
export type WholeInputReader = (bytes: Buffer, context: ParseContext) => { lines: number; items: Promise<ParseItem[]> } | null;

/**
 * The formats that read a small file faster whole than line by line: a message file, which
 * `parse` would otherwise cut into lines only to join them again, and a small mailbox.
 */
export function wholeInputReader(format: FormatParser): WholeInputReader | null {
  if (format === emlFormat) return readWholeMessage;
  if (format === mboxFormat) return readWholeMailbox;
  return null;
}

/** A systemd journal export (`journalctl -o json`): one JSON object a line with journald's fields. */
const JOURNAL_JSON = /^\s*\{[^\n]{0,8192}"(?:__REALTIME_TIMESTAMP|SYSLOG_IDENTIFIER|_SYSTEMD_UNIT)"\s*:/;

/** What to do with an input of no known format, from what its start looks like. */
export function unknownFormatHint(sample: string, name: string): string {
  if (looksLikeAddressList(sample)) {
    return `It has an address column but no bounce columns. A suppression or unsubscribe export is added with hygiene suppressions import ${name}; a contact list is the list clean reads, not a bounce input.`;
  }
  if (JOURNAL_JSON.test(sample)) {
    return 'This is a systemd journal export as JSON: export the text lines instead (journalctl -u postfix -o short-iso > mail.log, or the unit of your MTA) and classify that file.';
  }
  return 'If you know the format, name it with --input-format NAME (hygiene classify --list-formats lists them).';
}

const OLE_COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PST_FILE = [0x21, 0x42, 0x44, 0x4e]; // "!BDN"
const ZIP_FILE = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

/** A container of mail hygiene does not open: what it is, and how to get the messages out. */
export interface MailContainer {
  name: string;
  hint: string;
}

const CONTAINERS: ReadonlyArray<MailContainer & { signature: readonly number[] }> = [
  {
    signature: OLE_COMPOUND_FILE,
    name: 'an Outlook item (.msg)',
    hint: 'This is an Outlook item (.msg), not a message as text: save the bounces as .eml (the new Outlook and Outlook on the web: Save as / Download), or export the folder as mbox, and classify those.',
  },
  {
    signature: PST_FILE,
    name: 'an Outlook data file (.pst)',
    hint: 'This is an Outlook data file (.pst/.ost): export the folder that holds the bounces as mbox (for instance with readpst -M from pst-utils) and classify that.',
  },
  { signature: ZIP_FILE, name: 'a zip archive', hint: 'This is a zip archive: unpack it and classify the files or the folder inside.' },
];

/** The container of mail a file's first bytes say it is (an Outlook item, a zip), else null. */
export function containerOf(bytes: Uint8Array): MailContainer | null {
  return CONTAINERS.find((container) => startsWith(bytes, container.signature)) ?? null;
}

/** Below this, no detector is sure enough and the input is reported as of unknown format. */
export const MIN_DETECT_SCORE = 0.2;

export interface Detection {
  format: FormatParser | null;
  scores: { name: string; score: number }[];
}

/**
 * For formats whose detector starts with a cheap check that must pass for a score above 0, that
 * check: detection runs each one once per sample (several formats share one) and skips the
 * detectors it rules out. The detectors make the same check themselves, so the scores are the
 * same either way; this only saves repeating it.
 */
const MUST_PASS: ReadonlyMap<FormatParser, (sample: string) => boolean> = new Map([
  [postfixFormat, mayHoldSyslogLine],
  [sendmailFormat, mayHoldSyslogLine],
  // Exim's own check (a line that starts with a date) is stricter: this one is shared.
  [eximFormat, mayHoldSyslogLine],
  [harakaFormat, mayBeHaraka],
  [powermtaFormat, mayBePowermta],
  [mailgunFormat, mayHoldJsonKey],
  [postmarkFormat, mayHoldJsonKey],
  [sparkpostFormat, mayHoldJsonKey],
  [resendFormat, mayHoldJsonKey],
  // No entry for SES and Mandrill: they also take inputs that hold no JSON key (SES's suppression
  // list as CSV, a form-encoded Mandrill webhook body).
]);

/**
 * The detectors in the order detection runs them: those that can score highest first (a message
 * or a log), so that the ones whose ceiling is below a score already found are not run. A
 * folder of messages is detected from the message detector alone.
 */
const BY_CEILING: readonly FormatParser[] = [...FORMATS].sort((a, b) => (b.detectCeiling ?? 1) - (a.detectCeiling ?? 1));

/**
 * The format whose detector scores highest (the first in FORMATS on a tie); `scores` lists the
 * detectors run, highest first: one skipped had a ceiling below the winner's score.
 */
export function detectFormat(sample: string, fileName: string): Detection {
  const passed = new Map<(sample: string) => boolean, boolean>();
  const scoreOf = new Map<FormatParser, number>();
  let highest = 0;
  for (const format of BY_CEILING) {
    if ((format.detectCeiling ?? 1) < highest) continue;
    let score = 0;
    try {
      const check = MUST_PASS.get(format);
      let pass = check === undefined ? true : passed.get(check);
      if (pass === undefined) {
        pass = check!(sample);
        passed.set(check!, pass);
      }
      if (pass) score = format.detect(sample, fileName);
    } catch {
      score = 0;
    }
    scoreOf.set(format, score);
    if (score > highest) highest = score;
  }
  let best: FormatParser | null = null;
  let bestScore = 0;
  for (const format of FORMATS) {
    const score = scoreOf.get(format) ?? 0;
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  return {
    format: best && bestScore >= MIN_DETECT_SCORE ? best : null,
    scores: FORMATS.filter((format) => scoreOf.has(format))
      .map((format) => ({ name: format.name, score: scoreOf.get(format)! }))
      .sort((a, b) => b.score - a.score),
  };
}
