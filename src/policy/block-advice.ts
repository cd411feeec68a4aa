import type { BounceRecord } from '../bounces/types.js';

/**
 * Blocks are the *sender* being refused. When they are a large share of bounces, the list is not
 * the problem and cleaning it will not help: say which provider refused, with which code, and
 * what to fix before the next send.
 */

export type BlockProvider =
  'Gmail' | 'Microsoft' | 'Yahoo/AOL' | 'iCloud' | 'GMX/WEB.DE' | 'Orange' | 'Comcast' | 'Mimecast' | 'Proofpoint' | 'Barracuda' | 'other';

export type BlockCause = 'authentication' | 'ptr' | 'rate' | 'reputation' | 'content' | 'other';

/** Block events grouped by who refused, the code, and the cause. */
export interface BlockCount {
  provider: BlockProvider;
  /** The most specific code: a provider token (S3150, TSS04), the enhanced status, the reply code or the reason. */
  code: string;
  cause: BlockCause;
  count: number;
}

export interface BlockAdvice {
  /** Blocks / bounce events, 0..1. */
  share: number;
  /** True when the share reaches the warning level. */
  warn: boolean;
  /** Sentences for people; empty when there are no blocks. */
  lines: string[];
}

const DIAGNOSTIC_SCAN = 4096;
const GROUP_LINES = 6;

// Remote MTA names and diagnostic texts that identify a provider; checked in this order.
const PROVIDER_BY_HOST: ReadonlyArray<readonly [RegExp, BlockProvider]> = [
  [/\bgoogle\.com\b|\bgooglemail\.com\b|\bgmail\.com\b|\bgsmtp\b/i, 'Gmail'],
  [/\boutlook\.com\b|\bhotmail\.com\b|\bmicrosoft\.com\b|\boffice365\.com\b|\bmsn\.com\b/i, 'Microsoft'],
  [/\byahoodns\.net\b|\byahoo\.com\b|\baol\.com\b|\byahoo\.net\b/i, 'Yahoo/AOL'],
  [/\bicloud\.com\b|\bme\.com\b|\bmac\.com\b|\bapple\.com\b/i, 'iCloud'],
  [/\bgmx\.(?:net|de|com|at|ch)\b|\bweb\.de\b/i, 'GMX/WEB.DE'],
  [/\borange\.fr\b|\bwanadoo\.fr\b/i, 'Orange'],
  [/\bcomcast\.net\b/i, 'Comcast'],
  [/\bmimecast\b/i, 'Mimecast'],
  [/\bpphosted\.com\b|\bppe-hosted\.com\b|\bproofpoint\b/i, 'Proofpoint'],
  [/\bbarracuda/i, 'Barracuda'],
];

// Recipient domains of the big mailbox providers (when the remote MTA is unknown).
const PROVIDER_BY_RECIPIENT_DOMAIN: ReadonlyArray<readonly [RegExp, BlockProvider]> = [
  [/^(?:gmail\.com|googlemail\.com)$/, 'Gmail'],
  [/^(?:outlook|hotmail|live|msn)\.[a-z.]{2,8}$/, 'Microsoft'],
  [/^(?:yahoo\.[a-z.]{2,8}|ymail\.com|aol\.[a-z.]{2,8}|aim\.com)$/, 'Yahoo/AOL'],
  [/^(?:icloud|me|mac)\.com$/, 'iCloud'],
  [/^(?:gmx\.[a-z.]{2,8}|web\.de)$/, 'GMX/WEB.DE'],
  [/^(?:orange|wanadoo)\.fr$/, 'Orange'],
  [/^comcast\.net$/, 'Comcast'],
];

// What to fix, decided from "reply-code status reason text"; first match wins.
const CAUSE_RULES: ReadonlyArray<readonly [RegExp, BlockCause]> = [
  [/\b5\.7\.(?:26|27|509|515)\b|\bauthfailure\b|\bDMARC\b|\bDKIM\b|\bSPF\b|unauthenticated/i, 'authentication'],
  [/\brequireptr\b|\b5\.7\.25\b|\bPTR\b|reverse DNS|\brDNS\b/i, 'ptr'],
  [/\bratelimited\b|^\S+ 4\.2\.1 |^421 4\.7\.0 |too many (?:messages|connections)|rate limit/i, 'rate'],
  [
    /\bblocked\b|\bbadreputation\b|\bspamdetected\b|\b5\.7\.6\d\d\b|\bS3\d{3}\b|\bTSS?0\d\b|blacklist|blocklist|\bspamhaus\b|reputation/i,
    'reputation',
  ],
  [/\bcontenterror\b|\bvirusdetected\b|\bpolicyviolation\b|\bspam\b|\bcontent\b|\bvirus\b/i, 'content'],
  // A feedback report that is a block is a DMARC/SPF/DKIM failure report (a virus report says so).
  [/\bfeedback\b/i, 'authentication'],
];

// Provider-specific tokens name the exact rule that refused the mail.
const PROVIDER_TOKEN = /\b(S3\d{3}|TSS?0\d)\b/;

const ADVICE: Readonly<Record<BlockCause, string>> = {
  authentication: 'messages are unauthenticated; publish SPF and DKIM and align DMARC before the next send.',
  ptr: 'your sending IP has no matching reverse DNS; ask whoever runs the IP to set a PTR record that points back to it.',
  rate: 'you send faster than the provider accepts; lower the sending rate and connections, then retry later.',
  reputation:
    'your sending IP or domain has a poor reputation or is listed; check blocklists, request delisting, and send only to recent, engaged recipients.',
  content: 'the content was refused by a filter; review links, attachments and wording.',
  other: 'the receiving server refused your sender, not the address; read the diagnostics in retry-later.csv.',
};

/** Who refused a block event: remote MTA first, then the remote text, then the recipient domain. */
export function blockProvider(record: Pick<BounceRecord, 'recipient' | 'remoteMta' | 'diagnostic'>): BlockProvider {
  const candidates = [record.remoteMta ?? '', (record.diagnostic ?? '').slice(0, DIAGNOSTIC_SCAN)];
  for (const text of candidates) {
    if (text === '') continue;
    for (const [pattern, provider] of PROVIDER_BY_HOST) if (pattern.test(text)) return provider;
  }
  const domain = record.recipient
    .slice(record.recipient.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase()
    .slice(0, 255);
  for (const [pattern, provider] of PROVIDER_BY_RECIPIENT_DOMAIN) if (pattern.test(domain)) return provider;
  return 'other';
}

/** Why a block happened, as far as code, reason and text tell. */
export function blockCause(record: Pick<BounceRecord, 'reason' | 'status' | 'smtpCode' | 'diagnostic'>): BlockCause {
  const text = `${record.smtpCode ?? '-'} ${record.status ?? '-'} ${record.reason} ${(record.diagnostic ?? '').slice(0, DIAGNOSTIC_SCAN)}`;
  for (const [pattern, cause] of CAUSE_RULES) if (pattern.test(text)) return cause;
  return 'other';
}

/** Groups the block events among `records` (other classes are skipped). */
export function summarizeBlocks(records: Iterable<BounceRecord>): BlockCount[] {
  const groups = new Map<string, BlockCount>();
  for (const record of records) {
    if (record.class !== 'block') continue;
    const provider = blockProvider(record);
    const cause = blockCause(record);
    const code = blockCode(record);
    const key = `${provider}\u0000${code}\u0000${cause}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { provider, code, cause, count: 1 });
    else group.count++;
  }
  return [...groups.values()].sort(byCountThenName);
}

/**
 * Advice on blocks. `blocks` is the bounce records of a run (blocks are picked out) or an
 * existing summary; `totalBounces` the number of bounce events they are a share of.
 */
export function adviseOnBlocks(
  blocks: readonly BounceRecord[] | readonly BlockCount[],
  totalBounces: number,
  options: { shareWarning?: number } = {},
): BlockAdvice {
  const groups = isSummary(blocks) ? [...blocks].sort(byCountThenName) : summarizeBlocks(blocks);
  const blockTotal = groups.reduce((sum, group) => sum + group.count, 0);
  const shareWarning = options.shareWarning ?? 0.2;
  if (blockTotal === 0 || totalBounces <= 0) return { share: 0, warn: false, lines: [] };
  const share = Math.min(1, blockTotal / totalBounces);
  const warn = share >= shareWarning;
  const percent = `${Math.round(share * 100)}%`;
  const lines = [
    warn
      ? `${percent} of bounces (${blockTotal} of ${totalBounces}) are blocks of your sender, not bad addresses:`
      : `${percent} of bounces (${blockTotal} of ${totalBounces}) are blocks of your sender:`,
  ];
  for (const group of groups.slice(0, GROUP_LINES)) {
    const who = group.provider === 'other' ? 'Other providers' : group.provider;
    lines.push(`${who} ${group.code} (${group.count}): ${ADVICE[group.cause]}`);
  }
  const rest = groups.slice(GROUP_LINES);
  if (rest.length > 0) {
    const restCount = rest.reduce((sum, group) => sum + group.count, 0);
    lines.push(`and ${restCount} more in ${rest.length} other groups.`);
  }
  return { share, warn, lines };
}

function blockCode(record: BounceRecord): string {
  const token = PROVIDER_TOKEN.exec((record.diagnostic ?? '').slice(0, DIAGNOSTIC_SCAN));
  return token?.[1] ?? record.status ?? record.smtpCode ?? record.reason;
}

function isSummary(items: readonly BounceRecord[] | readonly BlockCount[]): items is readonly BlockCount[] {
  return items.length > 0 && 'count' in items[0]!;
}

function byCountThenName(a: BlockCount, b: BlockCount): number {
  return b.count - a.count || compareText(a.provider, b.provider) || compareText(a.code, b.code) || compareText(a.cause, b.cause);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
