import type { DeliveryAction } from '../bounces/types.js';

/** A row of the events table, as SELECT returns it. */
export interface EventRow {
  id: string;
  recipient: string;
  class: string;
  reason: string;
  action: DeliveryAction | null;
  status: string | null;
  smtp_code: string | null;
  diagnostic: string | null;
  remote_mta: string | null;
  at: string | null;
  queue_id: string | null;
  message_key: string | null;
  format: string;
  source: string;
}
