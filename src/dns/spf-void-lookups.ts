import type { DnsResolver } from './resolver.js';

/**
 * RFC 7208 section 4.6.4: a receiver that evaluates an SPF record counts its "void" look-ups,
 * queries that name nothing (NXDOMAIN, or no record of the type asked), and past two it returns
 * permerror: every message of the sender then fails SPF. They come from mechanisms that name
 * hosts that are gone (`a:old-mail.example`, `mx:` of a domain that moved, an include of a
 * domain that no longer exists), which stay in records for years.
 */
export const SPF_VOID_LOOKUP_LIMIT = 2;

/** A mechanism of an SPF record that makes a look-up of its own. */
export interface HostMechanism {
  name: 'a' | 'mx' | 'exists';
  /** The domain the mechanism names, or the record's own for `a` and `mx` without one. */
  host: string;
}

/**
 * The host a mechanism looks up, or null when it names none that can be looked up here: macros
 * (`%{i}`) depend on the message. `value` is what follows `name:` (or `name/` for a CIDR length
 * only, then `hasDomain` is false); `a` and `mx` may end in a CIDR length (`/24`, `//64`).
 */
export function hostOfMechanism(name: string, value: string | null, hasDomain: boolean, domain: string): HostMechanism | null {
  if (name !== 'a' && name !== 'mx' && name !== 'exists') return null;
  let host = hasDomain ? (value ?? '') : '';
  if (name !== 'exists') host = host.replace(/(?:\/\d{1,3})?(?:\/\/\d{1,3})?$/, '');
  if (host === '') {
    if (name === 'exists') return null;
    host = domain;
  }
  if (host.includes('%')) return null;
  return { name, host: host.toLowerCase().replace(/\.$/, '') };
}

/**
 * The mechanisms whose look-up named nothing, as `name:host`. A look-up that failed (timeout,
 * SERVFAIL) is not counted: more than the limit that named nothing is a verdict whatever the
 * others would say, and the look-up count of the record does not depend on them. An `a` or
 * `exists` counts as void only when the name has neither an A nor an AAAA record, whichever
 * family the receiver asks: a report never blames a record for the family it did not use.
 */
export async function voidLookupsOf(mechanisms: readonly HostMechanism[], resolver: DnsResolver): Promise<string[]> {
  const outcomes = await Promise.all(mechanisms.map((mechanism) => isVoid(mechanism, resolver)));
  return mechanisms.filter((_, index) => outcomes[index] === true).map((mechanism) => `${mechanism.name}:${mechanism.host}`);
}

/** True when the look-up named nothing, false when it found records, null when it failed. */
async function isVoid(mechanism: HostMechanism, resolver: DnsResolver): Promise<boolean | null> {
  if (mechanism.name === 'mx') {
    const mx = await resolver.mx(mechanism.host);
    if (mx.ok) return mx.records.length === 0;
    return mx.kind === 'failure' ? null : true;
  }
  const [v4, v6] = await Promise.all([resolver.addresses(mechanism.host, 4), resolver.addresses(mechanism.host, 6)]);
  if ((v4.ok && v4.records.length > 0) || (v6.ok && v6.records.length > 0)) return false;
  if ((!v4.ok && v4.kind === 'failure') || (!v6.ok && v6.kind === 'failure')) return null;
  return true;
}
