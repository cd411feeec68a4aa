import type { BounceClass, BounceReason, DeliveryAction } from '../bounces/types.js';
import type { HistoryEvent } from '../policy/history-model.js';
import { identityText } from '../policy/event-identity.js';
import { EVENT_FLAGS } from './schema.js';

/** The text of an interned text id (EventTable.textOf). */
export type TextOf = (id: number) => string;

/**
 * A stored event read for a decision (the columns of EventTable's decision reads, in order):
 * what `decide` reads of every event is set at once; the time as written, the source and the
 * identity, which it reads only of the deciding event (or to order two events of one instant),
 * are made when first asked. A list check reads hundreds of thousands of events.
 */
export type DecisionRow = [
  identity: number,
  time: number | null,
  eventClass: number,
  reason: number,
  format: number,
  sourceFile: number,
  sourceLine: number | null,
  status: number | null,
  smtpCode: number | null,
  action: number | null,
  remoteMta: number | null,
  diagnostic: number | null,
  queueId: string | null,
  flags: number,
  messageKey: string | null,
  atText: string | null,
  recipient: string | null,
];

export const DECISION_COLUMNS =
  'identity, time, class, reason, format, source_file, source_line, status, smtp_code, action, remote_mta, diagnostic, queue_id, flags, message_key, at_text, recipient';

export class StoredEvent implements HistoryEvent {
  readonly recipient: string;
  readonly class: BounceClass;
  readonly reason: BounceReason;
  readonly action: DeliveryAction | null;
  readonly status: string | null;
  readonly smtpCode: string | null;
  readonly diagnostic: string | null;
  readonly remoteMta: string | null;
  readonly queueId: string | null;
  readonly format: string;
  readonly messageKey: string | null;
  readonly time: number | null;
  private atText: string | null | undefined;
  private sourceText: string | undefined;

  constructor(
    private readonly row: DecisionRow,
    key: string,
    private readonly textOf: TextOf,
  ) {
    const optional = (id: number | null) => (id === null ? null : textOf(id));
    this.recipient = row[16] ?? key;
    this.class = textOf(row[2]) as BounceClass;
    this.reason = textOf(row[3]) as BounceReason;
    this.format = textOf(row[4]);
    this.status = optional(row[7]);
    this.smtpCode = optional(row[8]);
    this.action = optional(row[9]) as DeliveryAction | null;
    this.remoteMta = optional(row[10]);
    this.diagnostic = optional(row[11]);
    this.queueId = row[12];
    this.messageKey = (row[13] & EVENT_FLAGS.messageKeyIsQueueId) !== 0 ? row[12] : row[14];
    this.time = row[1];
  }

  get at(): string | null {
    if (this.atText === undefined) this.atText = this.row[15] ?? (this.time === null ? null : new Date(this.time).toISOString());
    return this.atText;
  }

  get source(): string {
    if (this.sourceText === undefined) {
      const file = this.textOf(this.row[5]);
      const line = this.row[6];
      this.sourceText = line === null ? file : `${file}${line}`;
    }
    return this.sourceText;
  }

  get id(): string {
    return identityText(this.row[0]);
  }
}
