/**
 * What several commands share: option builders and the flags -> typed options they normalise
 * to, so a flag behaves the same in every command and no command imports another.
 */
import type { Command } from 'commander';
import type { ReadBouncesOptions } from '../pipeline/read-bounces.js';
import { loadConfig, type ConfigOverrides, type EffectiveConfig } from '../config/config.js';
import { OUT_ENCODING_NAMES, parseOutEncoding } from '../contacts/encoding.js';
import { parseTimeZone, type TimeZone } from '../bounces/time-zone.js';
import { HygieneError } from '../errors.js';
import { parseIsoInstant } from '../text/iso-time.js';
import type { HistoryOptions } from '../pipeline/history.js';
import type { DomainCheckOptions } from '../pipeline/domain-checks.js';
import type { ListDomainChecks, ListOptions } from '../pipeline/list-run.js';
import { DEFAULT_STATE_PATH } from '../state/default-path.js';
import { createProgress } from './progress.js';

/** `--now ISO`: the clock of the run (tests and reproducible runs); default (not given) the real time. */
export function parseNow(text: unknown): Date {
  if (text === undefined || text === null) return new Date();
  const value = String(text);
  const date = parseIsoInstant(value);
  if (!date) {
    throw new HygieneError({
      code: 'BAD_OPTION',
      message: `--now ${JSON.stringify(value)} is not a real ISO 8601 date or time`,
      hint: 'Write it like 2026-11-23T09:00:00Z, 2026-11-23T10:00:00+01:00 or 2026-11-23 (midnight UTC); leave --now out for the current time.',
    });
  }
  return date;
}

/** Options for the history database and policy, shared by clean, check, ingest, history, ... */
export function addStateOptions(command: Command, withPolicy: boolean): Command {
  command
    .option('--state <path>', 'history database', DEFAULT_STATE_PATH)
    .option('--no-state', 'do not read or write a history database (a stateless run)')
    .option('--config <file>', 'configuration file (default: hygiene.config.json if present)');
  if (withPolicy) {
    command
      .option('--now <iso>', 'the time to decide at, e.g. 2026-11-23T09:00:00Z (default: now)')
      .option('--retry-delay <duration>', 'wait after a soft bounce or block before sending again (default 24h)')
      .option('--soft-window <duration>', 'how far back soft bounces are counted (default 30d)')
      .option('--soft-limit <n>', 'soft bounces that suppress an address (default 4)');
  }
  return command;
}

export function statePathFrom(flags: Record<string, unknown>): string | null {
  if (flags.state === false) return null;
  return typeof flags.state === 'string' ? flags.state : DEFAULT_STATE_PATH;
}

export function configFrom(flags: Record<string, unknown>, check?: ConfigOverrides['check']): EffectiveConfig {
  const overrides: ConfigOverrides = dnsConfigOverrides(flags);
  if (typeof flags.retryDelay === 'string') overrides.retryDelay = flags.retryDelay;
  if (typeof flags.softWindow === 'string') overrides.softWindow = flags.softWindow;
  if (typeof flags.softLimit === 'string') overrides.softLimit = flags.softLimit;
  if (typeof flags.retention === 'string') overrides.retention = flags.retention;
  if (check) overrides.check = check;
  return loadConfig({
    cwd: process.cwd(),
    overrides,
    ...(typeof flags.config === 'string' ? { path: flags.config } : {}),
  });
}

/** How to read a contact list (clean, check, domains). */
export function addListReadOptions(command: Command): Command {
  return command
    .option('--email-column <name|number>', 'the column holding addresses (header name, or 1-based number); default: detected')
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be, windows-1252; default: detected')
    .option('--delimiter <char>', 'field delimiter (",", ";", "tab", "|"); default: detected')
    .option('--no-header', 'the first row is data, not a header (default: detected)')
    .option('--relax-columns', 'accept rows with more or fewer fields than the header');
}

/** Options shared by `clean` and `check`: how to read the list and which checks apply. */
export function addListOptions(command: Command): Command {
  return addListReadOptions(command)
    .option('--suppress-role', 'suppress role accounts (info@, sales@, ...); by default they are only counted')
    .option('--allow-disposable', 'keep addresses at disposable mailbox providers')
    .option('--dedupe-aliases', 'also treat Gmail dots and +tags as the same mailbox when finding duplicates')
    .option('--case-sensitive-local', 'treat local parts that differ only in case as different mailboxes')
    .option('--escape-formulas', "also escape input values that spreadsheets would run as formulas (= + - @ first): changes the data, adds a leading '")
    .option('--out-encoding <name>', `encoding of the written lists: ${OUT_ENCODING_NAMES.join(', ')}; default: the input's encoding and byte-order mark`);
}

/** The options of addListOptions, for the list `file`. */
export function listOptionsFrom(file: string, flags: Record<string, unknown>): ListOptions {
  const options: ListOptions = {
    input: file,
    suppressRole: Boolean(flags.suppressRole),
    allowDisposable: Boolean(flags.allowDisposable),
    dedupeAliases: Boolean(flags.dedupeAliases),
    caseSensitiveLocal: Boolean(flags.caseSensitiveLocal),
    relaxColumns: Boolean(flags.relaxColumns),
  };
  if (typeof flags.emailColumn === 'string') options.emailColumn = flags.emailColumn;
  if (typeof flags.encoding === 'string') options.encoding = flags.encoding;
  if (typeof flags.delimiter === 'string') options.delimiter = flags.delimiter;
  if (flags.header === false) options.header = false;
  if (flags.escapeFormulas === true) options.escapeFormulas = true;
  if (typeof flags.outEncoding === 'string') {
    const outEncoding = parseOutEncoding(flags.outEncoding);
    if (!outEncoding) {
      throw new HygieneError({
        code: 'BAD_OPTION',
        message: `--out-encoding ${JSON.stringify(flags.outEncoding)} is not supported`,
        hint: `Use one of: ${OUT_ENCODING_NAMES.join(', ')}.`,
      });
    }
    options.outEncoding = outEncoding;
  }
  return options;
}

/** `--bounces` with the state and policy options: what the history of a list run is made of. */
export function historyOptionsFrom(flags: Record<string, unknown>, config: EffectiveConfig): HistoryOptions {
  return {
    bounces: (flags.bounces as string[] | undefined) ?? [],
    statePath: statePathFrom(flags),
    readOptions: bounceReadOptionsFrom(flags),
    config,
    now: parseNow(flags.now),
  };
}

/** How bounce inputs are read: classify, ingest, and the --bounces of clean and check. */
export function addBounceReadOptions(command: Command): Command {
  return command
    .option('--input-format <name>', 'skip detection and read every input as this format (see --list-formats)')
    .option('--year <year>', 'year of syslog timestamps that have none (default: from the file date)', parseYear)
    .option('--timezone <zone>', 'zone of log times that name none, e.g. Europe/Berlin, +01:00, UTC (default: this machine\'s, TZ)', parseZoneOption)
    .option('--strict', 'make malformed lines, unknown files in folders and truncated archives fatal');
}

export function bounceReadOptionsFrom(flags: Record<string, unknown>): ReadBouncesOptions {
  return {
    ...(typeof flags.inputFormat === 'string' ? { inputFormat: flags.inputFormat } : {}),
    ...(typeof flags.year === 'number' ? { year: flags.year } : {}),
    ...(typeof flags.timezone === 'object' && flags.timezone !== null ? { timeZone: flags.timezone as TimeZone } : {}),
    strict: Boolean(flags.strict),
  };
}

function parseZoneOption(text: string): TimeZone {
  const zone = parseTimeZone(text);
  if (zone === null) {
    throw new HygieneError({
      code: 'BAD_OPTION',
      message: `--timezone ${JSON.stringify(text)} is not a time zone`,
      hint: 'Give an IANA zone name (Europe/Berlin, America/New_York), an offset (+01:00, -0500) or UTC.',
    });
  }
  return zone;
}

function parseYear(text: string): number {
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < 1970 || year > 2100) {
    throw new HygieneError({ code: 'BAD_OPTION', message: `--year ${JSON.stringify(text)} is not a year`, hint: 'Give a four-digit year, e.g. --year 2025.' });
  }
  return year;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--check-domains` (clean, check) and the resolver options (clean, check, domains). */
export function addDnsOptions(command: Command, withSwitch: boolean): Command {
  if (withSwitch) {
    command
      .option('--check-domains', 'look up each domain of the list (MX, else A/AAAA): suppress domains that cannot receive mail')
      .option('--no-check-domains', 'no DNS look-ups, even if the config file turns them on');
  }
  return command
    .option('--dns-server <ip[:port]>', 'a resolver to ask (repeatable; default: the system resolvers)', collect)
    .option('--dns-timeout <seconds>', 'time one DNS question may take (default 5)')
    .option('--dns-concurrency <n>', 'domains looked up at once (default 16)')
    .option('--dns-budget <duration>', 'time all look-ups may take, e.g. 10m (default); the rest stays undetermined')
    .option('--no-dns-cache', 'ask the DNS about every domain: neither read nor write the cache in the history database');
}

/** The DNS flags as configuration overrides (flags win over hygiene.config.json). */
function dnsConfigOverrides(flags: Record<string, unknown>): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (typeof flags.checkDomains === 'boolean') overrides.checkDomains = flags.checkDomains;
  if (Array.isArray(flags.dnsServer)) overrides.dnsServers = (flags.dnsServer as string[]).join(',');
  if (typeof flags.dnsTimeout === 'string') overrides.dnsTimeout = flags.dnsTimeout;
  if (typeof flags.dnsConcurrency === 'string') overrides.dnsConcurrency = flags.dnsConcurrency;
  if (typeof flags.dnsBudget === 'string') overrides.dnsBudget = flags.dnsBudget;
  return overrides;
}

/** How to look domains up: the resolvers and limits of the config, the cache, progress on a terminal. */
export function dnsOptionsFrom(flags: Record<string, unknown>, config: EffectiveConfig, run: { statePath: string | null; now: Date }): DomainCheckOptions {
  const progress = createProgress({ label: 'dns', unit: 'domains' });
  return {
    servers: config.dns.servers,
    timeoutMs: config.dns.timeoutMs,
    concurrency: config.dns.concurrency,
    budgetMs: config.dns.budgetMs,
    statePath: run.statePath,
    useCache: flags.dnsCache !== false,
    now: run.now,
    onProgress: (done, total) => {
      progress.update(done);
      if (done === total) progress.done();
    },
  };
}

/** The DNS step of a list run (clean, check), or null unless `--check-domains` / `checkDomains`. */
export function domainChecksFrom(flags: Record<string, unknown>, config: EffectiveConfig, history: HistoryOptions, fix: boolean): ListDomainChecks | null {
  if (!config.checkDomains) return null;
  return { dns: dnsOptionsFrom(flags, config, history), fix };
}
