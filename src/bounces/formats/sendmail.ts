/**
 * Sendmail mail logs (syslog; program `sendmail`, `sm-mta` on Debian, `sm-msp-queue`).
 *
 * Delivery lines: `QID: to=<a>[,<b>...], [ctladdr=..,] delay=.., xdelay=.., mailer=esmtp, pri=..,
 * relay=host. [ip], dsn=X.Y.Z, stat=<text>`. `to=` may list several recipients: one record each,
 * same queue ID. `stat=Sent (...)` is a delivery, `stat=Deferred: ...` a delay, anything else a
 * permanent failure (`User unknown`, `Service unavailable`, ...); `stat=queued` is not a result.
 * `from=` lines, inbound `ruleset=` rejections, `lost input channel`, STARTTLS, milter and DSN
 * notices are skipped. Year handling of the syslog stamps is shared with Postfix.
 */
import type { DeliveryAction, FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { cleanAddress, readAddressList } from './fields/address.js';
import { createSyslogClock, readSyslogHeader, readSyslogTag } from './fields/syslog-time.js';
import { clip, detectSyslogMta, fieldValue, readQueueId } from './fields/log-fields.js';
import { LineReader } from './fields/line-reader.js';
import { SkippedRun } from './fields/skipped-run.js';

const SENDMAIL_PROGRAMS: ReadonlySet<string> = new Set(['sendmail', 'sm-mta', 'sm-msp-queue']);

/** `stat=` prefixes that decide the action; the rest are failures. */
const STAT_ACTIONS: readonly (readonly [string, DeliveryAction])[] = [
  ['Sent', 'delivered'],
  ['Deferred', 'delayed'],
];

/** `stat=` values that are not a delivery result. */
const NOT_A_RESULT: ReadonlySet<string> = new Set(['queued', 'quarantined']);

const DELIVERY_MARK = 'to=';
const STAT_FIELD = ', stat=';
const SCAN_LIMIT = 4096;
/** Guard against a hostile `to=` list: no real message logs more on one line. */
const MAX_RECIPIENTS = 1000;

/** `mx.example.com. [192.0.2.40]` -> `mx.example.com`; `[192.0.2.34] [192.0.2.34]` -> the IP. */
function relayHost(relay: string | null): string | null {
  if (relay === null) return null;
  const first = relay.split(' ', 1)[0] ?? '';
  const host = first.startsWith('[') && first.endsWith(']') ? first.slice(1, -1) : first.replace(/\.$/, '');
  return host.length === 0 || host === 'local' ? null : host;
}

function actionOf(stat: string, dsn: string | null): DeliveryAction {
  for (const [prefix, action] of STAT_ACTIONS) if (stat.startsWith(prefix)) return action;
  // Texts without the Deferred: prefix but with a 4.x.x dsn are still temporary.
  if (dsn !== null && dsn.startsWith('4.')) return 'delayed';
  return 'failed';
}

/** `Deferred: 451 4.3.5 ...` or `Sent (...)`: the reply code at the start of the reply, if any. */
function replyCodeOf(stat: string): string | null {
  const head = stat.length > SCAN_LIMIT ? stat.slice(0, SCAN_LIMIT) : stat;
  const match = /^(?:Deferred: |Sent \()?([2-5]\d\d)[ -]/.exec(head);
  return match?.[1] ?? null;
}

function isSendmailTag(name: string): boolean {
  return SENDMAIL_PROGRAMS.has(name);
}

async function* parseSendmail(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
  const clock = createSyslogClock(context);
  const skipped = new SkippedRun();
  const reader = new LineReader(lines);
  try {
    for (let next = reader.ready() ?? (await reader.next()); next !== null; next = reader.ready() ?? (await reader.next())) {
      const { line, text } = next;
      const header = readSyslogHeader(text);
      const tag = header === null ? null : readSyslogTag(text, header.bodyStart);
      if (header === null || tag === null || !isSendmailTag(tag.name)) {
        skipped.add(line);
        continue;
      }
      const queue = readQueueId(text, tag.messageStart, 6);
      if (queue === null || !text.startsWith(DELIVERY_MARK, queue.end)) {
        // from=, ruleset= rejections, lost input channel, STARTTLS=, Milter, DSN notices, ...
        skipped.add(line);
        continue;
      }
      const list = readAddressList(text, queue.end + DELIVERY_MARK.length);
      const recipients = list.items
        .slice(0, MAX_RECIPIENTS)
        .map(cleanAddress)
        .filter((address): address is string => address !== null);
      const statAt = text.indexOf(STAT_FIELD, list.end);
      if (recipients.length === 0 || statAt < 0) {
        if (skipped.lines > 0) yield skipped.take();
        yield {
          kind: 'malformed',
          line,
          message: recipients.length === 0 ? 'delivery line without a readable to= address' : 'delivery line without stat=',
        };
        continue;
      }
      const stat = clip(text.slice(statAt + STAT_FIELD.length));
      if (NOT_A_RESULT.has(stat)) {
        skipped.add(line);
        continue;
      }
      const dsn = fieldValue(text, ', dsn=', list.end, statAt, ', ');
      // Some builds log the remote reply separately (`reply=550 5.1.1 ...`): it is the better text.
      const reply = fieldValue(text, ', reply=', list.end, statAt, ', ');
      const diagnostic = reply === null ? stat : clip(`${stat}: ${reply}`);
      const at = clock.toIso(header.stamp);
      const action = actionOf(stat, dsn);
      const remoteMta = relayHost(fieldValue(text, ', relay=', list.end, statAt, ', '));
      const smtpCode = replyCodeOf(reply ?? stat);
      const source = `${context.file}:${line}`;
      if (skipped.lines > 0) yield skipped.take();
      for (const recipient of recipients) {
        yield {
          kind: 'record',
          record: {
            recipient,
            action,
            status: dsn,
            smtpCode,
            diagnostic,
            remoteMta,
            at,
            queueId: queue.queueId,
            messageKey: queue.queueId,
            source,
          },
        };
      }
    }
    if (skipped.lines > 0) yield skipped.take();
  } finally {
    await reader.close();
  }
}

function detectSendmail(sample: string): number {
  return detectSyslogMta(
    sample,
    isSendmailTag,
    6,
    (text, raw, afterQueueId) => text.startsWith(DELIVERY_MARK, afterQueueId) && raw.includes(STAT_FIELD),
  );
}

export const sendmailFormat: FormatParser = {
  name: 'sendmail',
  description: 'Sendmail mail log (syslog): one line per delivery attempt, several recipients each',
  detect: (sample: string) => detectSendmail(sample),
  parse: parseSendmail,
};
