/** Throw-away mailbox providers, from the maintained list of disposable-email-domains-js. */
import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';

let disposable: Set<string> | undefined;

/**
 * Real mailbox providers that the disposable list names by mistake (a community list, fed by
 * reports of abuse: a big ISP's domain gets reported too). Each entry has a test.
 */
export const NOT_DISPOSABLE: ReadonlyMap<string, string> = new Map([
  ['sify.com', 'Sify, an Indian ISP and web portal with long-lived mailboxes'],
  ['21cn.com', "China Telecom's 21CN portal, one of the large Chinese free-mail providers"],
]);

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
    if (NOT_DISPOSABLE.has(candidate)) return false;
    if (disposable.has(candidate)) return true;
    const dot = candidate.indexOf('.');
    // Stop before the bare TLD: "com" is nobody's provider.
    if (dot === -1 || candidate.indexOf('.', dot + 1) === -1) return false;
    candidate = candidate.slice(dot + 1);
  }
  return false;
}
