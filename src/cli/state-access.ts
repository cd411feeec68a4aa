import path from 'node:path';
import { HygieneError } from '../errors.js';
import { HistoryStore } from '../state/history-store.js';
import { statePathFrom } from './shared-options.js';

/** Opens the history database named by --state for a command; --no-state makes no sense there. */
export function openStateFor(command: string, flags: Record<string, unknown>, options: { readonly: boolean }): HistoryStore {
  const statePath = statePathFrom(flags);
  if (statePath === null) {
    throw new HygieneError({
      code: 'USAGE',
      message: `${command} works on the history database; --no-state leaves nothing to work on`,
      hint: 'Drop --no-state, or name the database with --state PATH.',
    });
  }
  try {
    return HistoryStore.open(path.resolve(statePath), { readonly: options.readonly });
  } catch (error) {
    if ((error as { code?: string }).code === 'STATE_NOT_FOUND') {
      throw new HygieneError({
        code: 'STATE_NOT_FOUND',
        file: statePath,
        message: `${statePath}: no history database yet`,
        hint: 'Record bounces first with `hygiene ingest LOGS...` or `hygiene clean LIST --bounces LOGS...`, or name another one with --state.',
      });
    }
    throw error;
  }
}
