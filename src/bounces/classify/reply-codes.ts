/**
 * SMTP reply code -> reason, for the few codes whose meaning is specific enough to decide when
 * neither an enhanced code nor a phrase did. Most codes (421, 450, 550, 554) are too general:
 * they leave the record undetermined rather than guess.
 */
import type { BounceReason } from '../types.js';

export const REPLY_CODE_REASONS: ReadonlyMap<string, BounceReason> = new Map<string, BounceReason>([
  ['451', 'systemerror'],
  ['452', 'systemfull'],
  ['500', 'syntaxerror'],
  ['501', 'syntaxerror'],
  ['502', 'syntaxerror'],
  ['503', 'syntaxerror'],
  ['504', 'syntaxerror'],
  ['530', 'securityerror'],
  ['535', 'securityerror'],
  ['538', 'securityerror'],
  ['552', 'mailboxfull'],
  ['571', 'blocked'],
]);

/** Reply codes with one meaning (RFC 7504: the host or domain takes no mail at all). */
const SPECIFIC_REPLY_CODES: ReadonlyMap<string, BounceReason> = new Map<string, BounceReason>([
  ['521', 'notaccept'],
  ['556', 'notaccept'],
]);

/** The reason of a reply code that means one thing whatever the enhanced code says, or null. */
export function specificReplyReason(code: string | null): BounceReason | null {
  return code === null ? null : (SPECIFIC_REPLY_CODES.get(code) ?? null);
}

export function replyCodeReason(code: string | null): BounceReason | null {
  return code === null ? null : (REPLY_CODE_REASONS.get(code) ?? null);
}
