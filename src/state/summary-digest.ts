import type { SettlingDigest } from '../policy/history-model.js';
import type { AddressSummary } from './event-table.js';
import { ADDRESS_FLAGS, SOFT_COUNT_MAX, SOFT_COUNT_SHIFT } from './schema.js';

/**
 * What an address's row in the store says, for `summarySaysCleaned`: most addresses of a list are
 * settled by it (only deliveries, delivered since the last bounce, or bounced softly a while ago)
 * without reading events.
 */
export function digestOf(summary: AddressSummary): SettlingDigest {
  const softs = (summary.flags >> SOFT_COUNT_SHIFT) & SOFT_COUNT_MAX;
  return {
    lastDelivery: summary.lastDelivery,
    lastBounce: summary.lastBounce,
    hasBounce: (summary.flags & ADDRESS_FLAGS.bounce) !== 0,
    hasComplaint: (summary.flags & ADDRESS_FLAGS.complaint) !== 0,
    suppressed: (summary.flags & ADDRESS_FLAGS.suppressed) !== 0,
    overridden: (summary.flags & ADDRESS_FLAGS.overridden) !== 0,
    hardSinceDelivery: (summary.flags & ADDRESS_FLAGS.hardSinceDelivery) !== 0,
    softsSinceDelivery: softs,
    softsCountCapped: softs === SOFT_COUNT_MAX,
  };
}
