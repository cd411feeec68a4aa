/**
 * The SMTP stage a refusal came at, from whatever the bounce holds: a command field a parser or
 * a vendor export filled in, or the wording of the report itself. One module for every format,
 * so that the same text gets the same stage whether it came from a Postfix log, an Exim
 * bounce, a Sendmail transcript or an ESP's event.
 *
 * The stage matters because it says who and what was refused: before MAIL FROM the sending host,
 * at MAIL FROM the sender, at RCPT TO the recipient's address, after DATA the message (its
 * sender, headers or content), which is where recipient-side filters answer.
 */
export type SmtpStage = 'CONN' | 'EHLO' | 'STARTTLS' | 'AUTH' | 'MAIL' | 'RCPT' | 'DATA';

/** What stage-bearing fields hold: `RCPT TO`, `rcpt`, `RCPT_TO`, `end of data`, `MAIL FROM:` ... */
const COMMAND_WORDS: ReadonlyMap<string, SmtpStage> = new Map<string, SmtpStage>([
  ['CONN', 'CONN'],
  ['CONNECT', 'CONN'],
  ['CONNECTION', 'CONN'],
  ['BANNER', 'CONN'],
  ['GREETING', 'CONN'],
  ['INITIAL', 'CONN'],
  ['EHLO', 'EHLO'],
  ['HELO', 'EHLO'],
  ['LHLO', 'EHLO'],
  ['STARTTLS', 'STARTTLS'],
  ['AUTH', 'AUTH'],
  ['MAIL', 'MAIL'],
  ['RCPT', 'RCPT'],
  ['DATA', 'DATA'],
  ['BDAT', 'DATA'],
  ['END', 'DATA'],
  ['DOT', 'DATA'],
  ['BODY', 'DATA'],
]);

/** A command as a parser or a vendor field names it -> the stage, or null when not one. */
export function stageOfCommand(command: unknown): SmtpStage | null {
  if (typeof command !== 'string') return null;
  const words = command
    .trim()
    .toUpperCase()
    .split(/[\s:_-]+/);
  const first = words[0] === 'PIPELINED' || words[0] === 'AFTER' ? words[1] : words[0];
  return first ? (COMMAND_WORDS.get(first) ?? null) : null;
}

/**
 * How reports name the stage, as families of wording (lower-case, single blanks, as
 * `normalizeDiagnostic` makes the text):
 * - Postfix: `(in reply to RCPT TO command)`, `(in reply to end of DATA command)`,
 *   `host x refused to talk to me` (the greeting);
 * - Exim: `SMTP error from remote mail server after RCPT TO:<...>`, `after end of data`,
 *   `after pipelined DATA`, `after initial connection`;
 * - Sendmail, Courier, OpenSMTPD and other transcripts: `>>> RCPT To:<...>` then `<<< 550 ...`;
 * - Gmail and others: `did not like our RCPT TO`, `did not like our final DATA`;
 *   Google's relay states (Sisimai's Lhost::Gmail): `(state 14)` RCPT, 15/17/18 after DATA;
 * - Yahoo: `[RCPT_TO]`; qmail: `most progress was RCPT TO response`, `does not like recipient`;
 * - appliances and Exchange (McAfee, MailFoundry, IMail...): `SMTP command DATA`,
 *   `while sending RCPT TO`, `smtp;550 ... (rcpt)`;
 * - RFC 3463 uses none of these: a DSN carries the stage only in the Diagnostic-Code text.
 */
const STAGE_PHRASES: ReadonlyArray<readonly [string, SmtpStage]> = [
  ['in reply to rcpt to', 'RCPT'],
  ['after rcpt to', 'RCPT'],
  ['after pipelined rcpt to', 'RCPT'],
  ['after rcpt command', 'RCPT'],
  ['>>> rcpt to', 'RCPT'],
  ['smtp:rcpt', 'RCPT'],
  ['smtp command rcpt', 'RCPT'],
  ['smtp command: rcpt', 'RCPT'],
  ['while sending rcpt to', 'RCPT'],
  ['following rcpt', 'RCPT'],
  ['does not like recipient', 'RCPT'],
  ['did not like our rcpt to', 'RCPT'],
  ['most progress was rcpt', 'RCPT'],
  ['[rcpt_to]', 'RCPT'],
  ['rcpt to command', 'RCPT'],
  ['(state 14)', 'RCPT'],
  ['rcpt to:', 'RCPT'],
  ['in reply to mail from', 'MAIL'],
  ['after mail from', 'MAIL'],
  ['after pipelined mail from', 'MAIL'],
  ['>>> mail from', 'MAIL'],
  ['smtp:mail', 'MAIL'],
  ['smtp command mail', 'MAIL'],
  ['smtp command: mail', 'MAIL'],
  ['while sending mail from', 'MAIL'],
  ['most progress was mail', 'MAIL'],
  ['[mail_from]', 'MAIL'],
  ['in reply to end of data', 'DATA'],
  ['after end of data', 'DATA'],
  ['after pipelined end of data', 'DATA'],
  ['in reply to data', 'DATA'],
  ['after data', 'DATA'],
  ['after pipelined data', 'DATA'],
  ['did not like our final data', 'DATA'],
  ['did not like our data', 'DATA'],
  ['>>> data', 'DATA'],
  ['smtp:data', 'DATA'],
  ['smtp command data', 'DATA'],
  ['smtp command: data', 'DATA'],
  ['while sending data', 'DATA'],
  ['most progress was data', 'DATA'],
  ['[data]', 'DATA'],
  ['(state 15)', 'DATA'],
  ['(state 17)', 'DATA'],
  ['(state 18)', 'DATA'],
  ['in reply to ehlo', 'EHLO'],
  ['in reply to helo', 'EHLO'],
  ['in reply to lhlo', 'EHLO'],
  ['after ehlo', 'EHLO'],
  ['after helo', 'EHLO'],
  ['>>> ehlo', 'EHLO'],
  ['>>> helo', 'EHLO'],
  ['smtp command ehlo', 'EHLO'],
  ['(state 13)', 'EHLO'],
  ['after initial connection', 'CONN'],
  ['refused to talk to me', 'CONN'],
  ['in reply to starttls', 'STARTTLS'],
  ['after starttls', 'STARTTLS'],
  ['in reply to auth', 'AUTH'],
];

/** The stage the text names first (a transcript names the failing command before the reply). */
export function findStage(normalizedText: string): SmtpStage | null {
  let best: SmtpStage | null = null;
  let bestAt = Infinity;
  for (const [phrase, stage] of STAGE_PHRASES) {
    const at = normalizedText.indexOf(phrase);
    if (at !== -1 && at < bestAt) {
      best = stage;
      bestAt = at;
    }
  }
  return best;
}
