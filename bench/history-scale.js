// The history-scale case of `npm run bench`: a history of millions of events generated straight
// into a database through the store's batch API, then `clean` of a contact list with and without
// that history (the ratio is the figure), `ingest` of a Postfix log (lines/s) and the bytes one
// stored event costs. Deterministic: the same arguments give the same database.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse';
import { createRandom } from './generate.js';

/** Decisions are made at this time; events lie in the 120 days before it. */
export const HISTORY_NOW = '2026-11-24T00:00:00.000Z';
const NOW_MS = Date.parse(HISTORY_NOW);
const DAY = 86_400_000;
const SPAN_DAYS = 120;

const MX = Array.from({ length: 40 }, (_, i) => `mx${i % 4}.provider${i}.example`);
const SOFT = [
  ['4.2.2', '452', '452 4.2.2 Mailbox full'],
  ['4.4.1', '421', '421 4.4.1 Connection timed out'],
  ['4.7.0', '450', '450 4.7.0 Greylisted, please try again later'],
  ['4.3.0', '451', '451 4.3.0 Temporary local problem, please try again later'],
];
const HARD = [
  ['5.1.1', '550', '550 5.1.1 <x>: Recipient address rejected: User unknown in virtual mailbox table'],
  [
    '5.1.1',
    '550',
    "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos",
  ],
  ['5.1.2', '550', '550 5.1.2 Host unknown'],
];
const BLOCK = [['5.7.1', '554', '554 5.7.1 Service unavailable; Client host blocked using zen.spamhaus.org']];

/** The addresses (Email column) of a generated contact list. */
export async function listAddresses(file) {
  const addresses = [];
  const parser = createReadStream(file).pipe(parse({ from_line: 2, relax_column_count: true }));
  for await (const row of parser) addresses.push(row[2] ?? '');
  return addresses;
}

/**
 * Writes `events` events into the history at `file` through HistoryStore.ingest (dist build).
 * Each address gets a timeline as a mail server sees it: mostly deliveries, now and then a soft
 * bounce or a block followed by more deliveries, sometimes a hard bounce after which it is no
 * longer mailed, rarely a complaint. 80% of the events are about addresses of the list.
 */
export async function writeHistory(file, events, listed, { HistoryStore }, log, seed = 20261124) {
  const random = createRandom(seed);
  const store = HistoryStore.open(file);
  const batch = [];
  let written = 0;
  let queue = 0x10000000;
  const flush = () => {
    store.ingest(batch, new Date(HISTORY_NOW));
    batch.length = 0;
  };
  let other = 0;
  let logged = 0;
  try {
    while (written < events) {
      const recipient =
        random.chance(0.8) && listed.length > 0 ? listed[random.int(listed.length)] : `person${other++}@other${random.int(5000)}.example`;
      if (!recipient.includes('@')) continue;
      const count = 1 + random.int(16);
      let time = NOW_MS - random.int(SPAN_DAYS * DAY);
      const step = Math.max(1, Math.floor((NOW_MS - time) / (count + 1)));
      for (let i = 0; i < count && written < events; i++) {
        time += 1 + random.int(step);
        const roll = random.next();
        const [cls, reason, entry] =
          roll < 0.86
            ? ['delivered', 'delivered', ['2.0.0', '250', null]]
            : roll < 0.95
              ? ['soft', 'mailboxfull', random.pick(SOFT)]
              : roll < 0.975
                ? ['block', 'blocked', random.pick(BLOCK)]
                : roll < 0.985
                  ? ['auto-reply', 'vacation', [null, null, null]]
                  : roll < 0.998
                    ? ['hard', 'userunknown', random.pick(HARD)]
                    : ['complaint', 'feedback', [null, null, null]];
        const queueId = (queue++).toString(16).toUpperCase();
        const day = Math.floor((NOW_MS - time) / DAY);
        batch.push({
          recipient,
          class: cls,
          reason,
          action: cls === 'delivered' ? 'delivered' : cls === 'soft' ? 'delayed' : 'failed',
          status: entry[0],
          smtpCode: entry[1],
          diagnostic: cls === 'delivered' ? `250 2.0.0 Ok: queued as ${queueId}` : entry[2],
          remoteMta: random.pick(MX),
          at: new Date(time).toISOString(),
          queueId,
          format: 'postfix',
          source: `/var/log/mail.log.${day}:${1 + random.int(900_000)}`,
          messageKey: queueId,
        });
        written++;
        if (batch.length >= 20_000) flush();
        if (cls === 'hard' || cls === 'complaint') break; // no longer mailed
      }
      if (Math.floor(written / 1_000_000) > logged) {
        logged = Math.floor(written / 1_000_000);
        log(`  ${(logged * 1_000_000).toLocaleString('en-US')} events`);
      }
    }
    flush();
  } finally {
    store.close();
  }
  return { events: written, bytes: (await stat(file)).size };
}

export function bytesPerEvent(bytes, events) {
  return events > 0 ? Math.round((bytes / events) * 10) / 10 : null;
}

export const historyPaths = (tmp, label) => ({
  db: path.join(tmp, `history-${label}.db`),
  list: path.join(tmp, `history-list.csv`),
});
