/**
 * Which corrections `--fix` may apply: only those that keep the mailbox. The local part names
 * the mailbox and only its owner's server knows what it means (`.lead`, `lead` and `le.ad` are
 * three mailboxes on most domains), so a fix must keep it exactly as typed; what may change is
 * what surrounds it (blanks, `mailto:`, a display name, brackets) and the domain (case, a
 * trailing dot, a misspelling, the IDN form).
 */
import { unwrapAddress } from './repair.js';

export function keepsMailbox(written: string, corrected: string): boolean {
  const typed = localPartOf(unwrapAddress(written));
  return typed !== null && typed === localPartOf(corrected);
}

/** The text before the first `@` (before the closing quote's `@` for a quoted local part). */
function localPartOf(address: string): string | null {
  if (address.startsWith('"')) {
    const close = address.indexOf('"@', 1);
    return close > 0 ? address.slice(0, close + 1) : null;
  }
  const at = address.indexOf('@');
  return at > 0 ? address.slice(0, at) : null;
}
