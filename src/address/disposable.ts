/** Throw-away mailbox providers, from the maintained list of disposable-email-domains-js. */
import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';

let disposable: Set<string> | undefined;

/** A domain has at most 127 labels; bounds the walk on hostile input. */
const MAX_LABELS = 127;

/**
 * True when `domain` or one of its parent domains is a disposable provider
 * (`x.mailinator.com` is as throw-away as `mailinator.com`). Any case.
 */
export function isDisposableDomain(domain: string): boolean {
  disposable ??= disposableEmailBlocklistSet();
  let candidate = domain.toLowerCase();
  for (let labels = 0; labels < MAX_LABELS; labels++) {
    if (disposable.has(candidate)) return true;
    const dot = candidate.indexOf('.');
    // Stop before the bare TLD: "com" is nobody's provider.
    if (dot === -1 || candidate.indexOf('.', dot + 1) === -1) return false;
    candidate = candidate.slice(dot + 1);
  }
  return false;
}
