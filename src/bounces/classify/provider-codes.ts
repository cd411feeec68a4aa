/**
 * Error codes that receiving services print in their replies and document on their postmaster
 * pages. A code names the cause more precisely than the words around it: Orange answers "Service
 * refuse. Veuillez essayer plus tard" both for a blocked sender (`OFR006_103`) and for its own
 * failure (`OFR005_505`), GoDaddy's words vary where its `IB101` does not. So a known code decides
 * before any phrase; an unknown or undocumented code leaves the text to the other rules.
 * The tables follow each service's published list (as Sisimai's Rhost modules collect them).
 * Texts are lower-case, as `normalizeDiagnostic` produces them. The tables are Maps: a code is
 * text from a reply, and `AUP#constructor` must not find Object's prototype.
 */
import type { BounceReason } from '../types.js';

interface CodeTable {
  provider: string;
  /** Finds the code; its first group is what `reasonOf` reads. Bounded, nothing nested. */
  pattern: RegExp;
  reasonOf(code: string): BounceReason | null;
}

/** Orange / Wanadoo and La Poste: `OFR005_505`, `LPN007_102`, `LPNAAA_101`, `OUK_513`; the last three digits. */
const ORANGE: ReadonlyMap<string, BounceReason> = new Map([
  ['101', 'blocked'],
  ['102', 'blocked'],
  ['103', 'blocked'],
  ['104', 'ratelimited'],
  ['305', 'securityerror'],
  ['401', 'blocked'],
  ['402', 'securityerror'],
  ['403', 'rejected'],
  ['405', 'rejected'],
  ['415', 'rejected'],
  ['416', 'userunknown'],
  ['417', 'mailboxfull'],
  ['418', 'userunknown'],
  ['420', 'suspend'],
  ['421', 'rejected'],
  ['426', 'suspend'],
  ['505', 'systemerror'],
  ['506', 'spamdetected'],
  ['510', 'blocked'],
  ['514', 'emailtoolarge'],
  ['517', 'policyviolation'],
  ['630', 'policyviolation'],
  ['999', 'blocked'],
]);

/** GoDaddy (secureserver.net): `IB103` at the end of the reply. */
const GODADDY: ReadonlyMap<string, BounceReason> = new Map([
  ['007', 'ratelimited'],
  ['101', 'systemerror'],
  ['103', 'blocked'],
  ['104', 'blocked'],
  ['105', 'blocked'],
  ['106', 'blocked'],
  ['108', 'requireptr'],
  ['110', 'blocked'],
  ['111', 'blocked'],
  ['112', 'blocked'],
  ['113', 'blocked'],
  ['212', 'spamdetected'],
  ['401', 'securityerror'],
  ['501', 'rejected'],
  ['502', 'rejected'],
  ['504', 'ratelimited'],
  ['506', 'rejected'],
  ['508', 'authfailure'],
  ['510', 'ratelimited'],
  ['607', 'ratelimited'],
  ['705', 'virusdetected'],
]);

/** Cox: `AUP#CXBL`, `AUP#IPBL0010`, `AUP#URLBL011`. */
const COX: ReadonlyMap<string, BounceReason> = new Map([
  ['cxbl', 'blocked'],
  ['cxthrt', 'securityerror'],
  ['cxmj', 'securityerror'],
  ['cxdns', 'blocked'],
  ['cxsndr', 'rejected'],
  ['cxsmtp', 'rejected'],
  ['cxcnct', 'ratelimited'],
  ['cxmxrt', 'ratelimited'],
  ['cdrbl', 'blocked'],
]);

/** Spectrum (Charter): `AUP#1000`, `AUP#In-1310`: a number, single codes then ranges. */
const SPECTRUM: ReadonlyMap<number, BounceReason> = new Map([
  [1000, 'blocked'],
  [1010, 'rejected'],
  [1090, 'systemerror'],
  [1260, 'networkerror'],
  [1500, 'rejected'],
  [1520, 'rejected'],
  [1530, 'emailtoolarge'],
  [1540, 'ratelimited'],
  [1550, 'ratelimited'],
  [1560, 'policyviolation'],
]);
const SPECTRUM_RANGES: ReadonlyArray<readonly [number, number, BounceReason]> = [
  [1020, 1080, 'rejected'],
  [1100, 1150, 'blocked'],
  [1160, 1190, 'policyviolation'],
  [1200, 1250, 'blocked'],
  [1300, 1490, 'ratelimited'],
];

function coxOrSpectrum(code: string): BounceReason | null {
  const cox = COX.get(code);
  if (cox) return cox;
  // Cox's block-list codes: which lists name the IP, always a block.
  if (/^(?:ip|url)bl\d{3,5}$/.test(code)) return code.startsWith('ip') ? 'blocked' : 'spamdetected';
  const number = /(\d{4})$/.exec(code);
  if (!number) return null;
  const value = Number(number[1]);
  return SPECTRUM.get(value) ?? SPECTRUM_RANGES.find(([low, high]) => value >= low && value <= high)?.[2] ?? null;
}

/** i.ua (Ukraine): a link to its error page, `mail.i.ua/err/2/`. */
const IUA: ReadonlyMap<string, BounceReason> = new Map([
  ['1', 'norelaying'],
  ['2', 'userunknown'],
  ['3', 'suspend'],
  ['4', 'mailboxfull'],
  ['5', 'ratelimited'],
  ['6', 'norelaying'],
  ['7', 'blocked'],
  ['8', 'rejected'],
  ['9', 'blocked'],
  ['10', 'filtered'],
]);

const TABLES: readonly CodeTable[] = [
  { provider: 'orange', pattern: /\b(?:lpn|lpnaaa|ofr|ouk)(?:\d{3}[-_]|_)(\d{3})\b/, reasonOf: (code) => ORANGE.get(code) ?? null },
  { provider: 'godaddy', pattern: /\bib(\d{3})\b/, reasonOf: (code) => GODADDY.get(code) ?? null },
  { provider: 'cox / spectrum', pattern: /\baup#([a-z0-9-]{2,16})/, reasonOf: coxOrSpectrum },
  { provider: 'i.ua', pattern: /\.i\.ua\/err\/(\d{1,2})\b/, reasonOf: (code) => IUA.get(code) ?? null },
];

/** The reason a documented service error code in the text gives, or null. */
export function providerCodeReason(text: string): BounceReason | null {
  for (const table of TABLES) {
    const found = table.pattern.exec(text);
    if (!found) continue;
    const reason = table.reasonOf(found[1]!);
    if (reason) return reason;
  }
  return null;
}
