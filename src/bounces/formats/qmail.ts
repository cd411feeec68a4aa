/**
 * qmail-send's log (qmail-log(5); also netqmail, notqmail, s/qmail), as multilog writes it (each
 * line after a TAI64N stamp, `@4000000063f1a2b30c1d2e3f `), as splogger writes it to syslog
 * (`Sep  6 07:33:33 host qmail: 1157520813.485077 ...`), or bare.
 *
 * A delivery is two lines: `starting delivery D: msg M to remote ann@example.org`, then
 * `delivery D: success|failure|deferral: REPORT`, where REPORT is qmail-remote's text with each
 * blank written `_` and each line break `/` (`192.0.2.7_does_not_like_recipient./Remote_host_said:
 * _550_5.1.1_User_unknown/Giving_up_on_192.0.2.7./`). Delivery numbers are reused once a
 * delivery ends, so the recipient is taken from the latest `starting` line of that number.
 * Local deliveries (`to local`) are mail arriving for this host's own users: not a send's result,
 * skipped. Everything else (`new msg`, `info msg`, `end msg`, `status:`, `bounce msg`) is skipped.
 */
import type { DeliveryAction, FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { cleanAddress } from './fields/address.js';
import { LineReader } from './fields/line-reader.js';
import { clip } from './fields/log-fields.js';
import { SkippedRun } from './fields/skipped-run.js';
import { createSyslogClock, readSyslogHeader, readSyslogTag, type SyslogClock } from './fields/syslog-time.js';
import { toIsoUtc } from './fields/time.js';

const RESULTS: Readonly<Record<string, DeliveryAction>> = { success: 'delivered', failure: 'failed', deferral: 'delayed' };

const STARTING = /^starting delivery (\d{1,10}): msg (\d{1,20}) to (remote|local) (\S{1,512})$/;
const RESULT = /^delivery (\d{1,10}): (success|failure|deferral): (.*)$/;
/** multilog's TAI64N label: 2^62 + 10 + the Unix seconds, then nanoseconds. */
const TAI64N = /^@([0-9a-f]{16})([0-9a-f]{8}) /;
/** splogger's Unix time with microseconds, after the syslog tag. */
const UNIX_STAMP = /^(\d{9,11})\.(\d{1,9}) /;
const TAI64_UNIX_OFFSET = 2n ** 62n + 10n;
/** The most deliveries in progress a real qmail-send has (concurrencyremote tops out at 500s). */
const MAX_OPEN_DELIVERIES = 100_000;

interface Started {
  recipient: string | null;
  remote: boolean;
  msg: string;
}

/** The part of a line after its stamp, and the time that stamp gives (null: none, or a BSD stamp the clock reads). */
function unstamp(text: string, clock: SyslogClock): { message: string; at: string | null } | null {
  const tai = TAI64N.exec(text);
  if (tai) {
    const seconds = BigInt(`0x${tai[1]}`) - TAI64_UNIX_OFFSET;
    const ms = Number(seconds) * 1000 + Math.floor(Number.parseInt(tai[2]!, 16) / 1e6);
    return { message: text.slice(tai[0].length), at: toIsoUtc(ms) };
  }
  const header = readSyslogHeader(text);
  if (header !== null) {
    const tag = readSyslogTag(text, header.bodyStart);
    if (tag === null || !/^qmail(?:-send)?$/.test(tag.name)) return null;
    const rest = text.slice(tag.messageStart);
    const unix = UNIX_STAMP.exec(rest);
    if (unix)
      return { message: rest.slice(unix[0].length), at: toIsoUtc(Number(unix[1]) * 1000 + Math.floor(Number(`0.${unix[2]}`) * 1000)) };
    return { message: rest, at: clock.toIso(header.stamp) };
  }
  return { message: text, at: null };
}

/** qmail-remote's report as text: blanks and line breaks back, the trailing break dropped. */
function reportText(report: string): string {
  return clip(report.replace(/[\s_/]+/g, ' ').trim());
}

/** The remote host's reply code and enhanced status, from "Remote host said: 550 5.1.1 ..." or "(#5.1.2)". */
function replyCodes(text: string): { smtpCode: string | null; status: string | null } {
  const said = /Remote host said: ([2-5]\d\d)(?:[ -]([245]\.\d{1,3}\.\d{1,3})\b)?/.exec(text);
  const own = /\(#([245]\.\d{1,3}\.\d{1,3})\)/.exec(text);
  return { smtpCode: said?.[1] ?? null, status: said?.[2] ?? own?.[1] ?? null };
}

/** The host the report names: `192.0.2.7 does not like recipient`, `Connected to 192.0.2.7 but`, `Giving up on 192.0.2.7`. */
function remoteHost(text: string): string | null {
  const match = /^(\S{1,255}) does not like recipient|Connected to (\S{1,255}) but|Giving up on (\S{1,255})/.exec(text);
  const host = match?.[1] ?? match?.[2] ?? match?.[3];
  return host === undefined ? null : host.replace(/\.$/, '');
}

async function* parseQmail(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
  const clock = createSyslogClock(context);
  const skipped = new SkippedRun();
  const started = new Map<string, Started>();
  const reader = new LineReader(lines);
  try {
    for (let next = reader.ready() ?? (await reader.next()); next !== null; next = reader.ready() ?? (await reader.next())) {
      const { line, text } = next;
      const stamped = unstamp(text.trimEnd(), clock);
      if (stamped === null) {
        skipped.add(line);
        continue;
      }
      const start = STARTING.exec(stamped.message);
      if (start) {
        if (started.size >= MAX_OPEN_DELIVERIES) started.clear();
        started.set(start[1]!, { recipient: cleanAddress(start[4]!), remote: start[3] === 'remote', msg: start[2]! });
        skipped.add(line);
        continue;
      }
      const result = RESULT.exec(stamped.message);
      if (result === null) {
        skipped.add(line);
        continue;
      }
      const delivery = started.get(result[1]!);
      started.delete(result[1]!);
      if (delivery !== undefined && !delivery.remote) {
        skipped.add(line);
        continue;
      }
      if (skipped.lines > 0) yield skipped.take();
      if (delivery === undefined || delivery.recipient === null) {
        yield {
          kind: 'malformed',
          line,
          message:
            delivery === undefined
              ? `delivery ${result[1]} has no "starting delivery" line before it (the log starts mid-delivery?)`
              : 'starting delivery line without a readable address',
        };
        continue;
      }
      const diagnostic = reportText(result[3]!);
      const codes = replyCodes(diagnostic);
      yield {
        kind: 'record',
        record: {
          recipient: delivery.recipient,
          action: RESULTS[result[2]!]!,
          status: codes.status,
          smtpCode: codes.smtpCode,
          diagnostic,
          remoteMta: remoteHost(diagnostic),
          at: stamped.at,
          queueId: delivery.msg,
          messageKey: delivery.msg,
          source: `${context.file}:${line}`,
        },
      };
    }
    if (skipped.lines > 0) yield skipped.take();
  } finally {
    await reader.close();
  }
}

const DETECT_LINE =
  /(?:^|\s)(?:starting delivery \d{1,10}: msg \d{1,20} to (?:remote|local) |delivery \d{1,10}: (?:success|failure|deferral): )/m;

function detectQmail(sample: string): number {
  return DETECT_LINE.test(sample) ? 0.9 : 0;
}

export const qmailFormat: FormatParser = {
  name: 'qmail',
  description: "qmail-send log (multilog's TAI64N stamps, splogger's syslog lines, or bare): starting delivery and its result",
  detect: (sample: string) => detectQmail(sample),
  detectCeiling: 0.9,
  parse: parseQmail,
};
