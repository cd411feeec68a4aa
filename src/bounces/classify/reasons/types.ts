import type { BounceReason } from '../../types.js';

/**
 * The phrases that mean one reason (go-sisimai style: one small file per reason). All phrases are
 * lower-case with single blanks, as `normalizeDiagnostic` produces the text they are matched on.
 */
export interface ReasonPhrases {
  reason: BounceReason;
  /** Phrases that mean this reason wherever they appear. */
  phrases: readonly string[];
  /** Phrases that mean it only when no other reason's phrase matched (vague wordings). */
  weakPhrases?: readonly string[];
  /** Phrasings with a variable part; every quantifier is bounded and nothing is nested. */
  patterns?: readonly RegExp[];
}
