/** Shared types of the bounce side: parsed evidence, classification, format parsers. */
import type { TimeZone } from './time-zone.js';

/** Our classes: they drive what happens to the address (see docs/architecture.md, class table). */
export const BOUNCE_CLASSES = ['hard', 'soft', 'block', 'complaint', 'auto-reply', 'delivered', 'undetermined'] as const;
export type BounceClass = (typeof BOUNCE_CLASSES)[number];

/** The classes that are bounce events: counted by the policy and in the block share. */
export const BOUNCE_EVENT_CLASSES: ReadonlySet<BounceClass> = new Set<BounceClass>(['hard', 'soft', 'block', 'complaint', 'undetermined']);

/** Sisimai's reason vocabulary (current names). */
export const BOUNCE_REASONS = [
  'userunknown',
  'hostunknown',
  'hasmoved',
  'notaccept',
  'mailboxfull',
  'suspend',
  'filtered',
  'rejected',
  'blocked',
  'badreputation',
  'requireptr',
  'authfailure',
  'policyviolation',
  'spamdetected',
  'virusdetected',
  'contenterror',
  'notcompliantrfc',
  'securityerror',
  'norelaying',
  'syntaxerror',
  'systemerror',
  'systemfull',
  'mailererror',
  'networkerror',
  'expired',
  'failedstarttls',
  'suppressed',
  'emailtoolarge',
  'ratelimited',
  'onhold',
  'undefined',
  'delivered',
  'feedback',
  'vacation',
] as const;
export type BounceReason = (typeof BOUNCE_REASONS)[number];

/**
 * RFC 3463 4.4.7, "delivery time expired": the status every reader gives a message whose server
 * stopped retrying it (Postfix status=expired, Exim's retry timeout, Haraka, a DSN's SendGrid
 * `Action: expired`), so that it is classified the same whichever way it came.
 */
export const EXPIRED_STATUS = '4.4.7';

/** RFC 3464 action values. */
export type DeliveryAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

/**
 * What a source says about one delivery attempt to one recipient, before classification.
 * Parsers produce this; `classifyBounce` turns the evidence into class and reason.
 */
export interface BounceEvidence {
  /** Enhanced status code as found (`5.1.1`), or null. Generic codes (5.0.0) are kept as found. */
  status?: string | null;
  /** SMTP reply code (`550`), or null. */
  smtpCode?: string | null;
  /** Diagnostic text: the remote reply or the local error, flattened to one line. */
  diagnostic?: string | null;
  /** RFC 3464 action, when the source says it (or implies it: Postfix status=deferred => delayed). */
  action?: DeliveryAction | null;
  /**
   * A vendor's explicit verdict, when the source has one (SES bounceType/bounceSubType, SparkPost
   * bounce_class, Postmark Type, PowerMTA bounceCat, ...). The classifier uses it, but still reads
   * the diagnostic text: vendors call many sender-side blocks "bounces" too.
   */
  vendorReason?: BounceReason | null;
  vendorClass?: BounceClass | null;
  /** The message was an ARF complaint; the ARF Feedback-Type. */
  feedbackType?: string | null;
  /** The message was an RFC 3834 auto-reply / out-of-office. */
  autoReply?: boolean;
  /** The SMTP command the remote server answered (RCPT, DATA, MAIL, ...), when known. */
  command?: string | null;
  /** The remote MTA name, when known (helps recognise providers). */
  remoteMta?: string | null;
}

/** One parsed delivery result for one recipient, as a format parser yields it. */
export interface ParsedRecord extends BounceEvidence {
  /**
   * The address the message was sent to: the original recipient when the source names one
   * (DSN Original-Recipient, Postfix orig_to=, Exim `final <original>`), because that is the
   * address on the sender's list; history and lists match on it.
   */
  recipient: string;
  /**
   * The address delivery was finally attempted to (an alias or forward target), when the source
   * names it and it differs from `recipient`; null or absent otherwise.
   */
  finalRecipient?: string | null;
  action: DeliveryAction | null;
  status: string | null;
  smtpCode: string | null;
  diagnostic: string | null;
  remoteMta: string | null;
  /** ISO 8601 UTC, or null when the source has no time. */
  at: string | null;
  /**
   * A time the source holds but the parser could not read (as written, cut to 60 characters):
   * `at` is null then, and the reader counts it so that the user learns of it.
   */
  unreadTime?: string;
  /**
   * Values the source holds past its header's width (a CSV row split by an unquoted delimiter):
   * not read; the reader counts the row so that the user learns of it.
   */
  extraFields?: number;
  queueId: string | null;
  /** `file:line` for line formats, `file#n` for the n-th recipient of a message. */
  source: string;
  /**
   * Identity of the message the attempt belongs to, used to count one soft event per
   * (recipient, message): the queue ID, a Message-ID, an ESP message id. Null when unknown.
   */
  messageKey?: string | null;
}

/** The classify output contract (docs/architecture.md): one per recipient per delivery result. */
export interface BounceRecord {
  recipient: string;
  /** See ParsedRecord.finalRecipient: set only when it differs from `recipient`. */
  finalRecipient?: string | null;
  class: BounceClass;
  reason: BounceReason;
  action: DeliveryAction | null;
  status: string | null;
  smtpCode: string | null;
  diagnostic: string | null;
  remoteMta: string | null;
  at: string | null;
  queueId: string | null;
  format: string;
  source: string;
  messageKey?: string | null;
}

export interface ClassifyResult {
  class: BounceClass;
  reason: BounceReason;
  /** The enhanced status code that decided, when the text held a better one than the field. */
  status: string | null;
}

/** Context a parser gets for one input. */
export interface ParseContext {
  /** The file name as the user gave it (or `-` for stdin, or `dir/file.eml` inside a directory). */
  file: string;
  /** Year for syslog timestamps without one (`--year`). */
  year?: number;
  /** The file's modification time, to infer the year of syslog timestamps. */
  mtime?: Date;
  /** The zone of log times that name none (`--timezone`; the machine's zone by default). */
  timeZone?: TimeZone;
}

/** What a parser yields while reading. */
export type ParseItem =
  | { kind: 'record'; record: ParsedRecord }
  /**
   * A line or message that is well-formed but not about delivery (arrival, connect, ...); a log
   * parser may give a run of such lines as one item: `count` lines (1 when absent) since its
   * previous item, the last of them at `line`.
   */
  | { kind: 'skipped'; line: number; count?: number }
  /** A line or message the parser could not read. Counted and listed, fatal only with --strict. */
  | { kind: 'malformed'; line: number; message: string };

/** A line with its 1-based number in the input. */
export interface NumberedLine {
  line: number;
  text: string;
}

/** Lines that can also hand out those already split without a promise (as bytesToLines does). */
export interface ReadyLines extends AsyncIterable<NumberedLine> {
  /** The next line if it is already split, else undefined: then await the iterator's `next`. */
  ready(): NumberedLine | undefined;
}

/**
 * One parser per format. `detect` looks at the first part of the decoded input (up to 64 KiB)
 * and says how sure it is (0 = not this format, 1 = certain). `parse` reads the lines of the
 * whole input in order and yields items; it may keep state (Postfix joins expired lines on the
 * queue ID) but must not hold the whole input when the format is line-oriented.
 */
export interface FormatParser {
  name: string;
  /** One line for `--list-formats`. */
  description: string;
  detect(sample: string, fileName: string): number;
  /**
   * The highest score `detect` ever returns, when below 1: detection does not run a detector
   * whose ceiling is below a score another format already has (it could not win).
   */
  detectCeiling?: number;
  /**
   * When true, the input's lines are decoded as latin1 so that each character is one byte of the
   * file: message formats rebuild the exact bytes with `Buffer.from(text, 'latin1')` and let the
   * MIME library decode charsets. Otherwise lines are decoded as UTF-8 (Windows-1252 fallback).
   */
  rawBytes?: boolean;
  parse(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem>;
}
