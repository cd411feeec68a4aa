import type { Command } from 'commander';
import { loadConfig, type ConfigOverrides, type EffectiveConfig } from '../config/config.js';
import { HygieneError } from '../errors.js';
import { DEFAULT_STATE_PATH } from '../state/history-store.js';

/** `--now ISO`: the clock of the run (tests and reproducible runs); default the real time. */
export function parseNow(text: unknown): Date {
  if (text === undefined || text === null || text === '') return new Date();
  const value = String(text);
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new HygieneError({
      code: 'BAD_OPTION',
      message: `--now ${JSON.stringify(value)} is not an ISO 8601 date`,
      hint: 'Write it like 2026-11-23T09:00:00Z (or 2026-11-23 for midnight UTC).',
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
  const overrides: ConfigOverrides = {};
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
