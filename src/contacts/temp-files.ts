import { rmSync, promises as fsp } from 'node:fs';
import path from 'node:path';

/**
 * The temporary files of this process's outputs. Removed when the run is stopped by SIGINT,
 * SIGTERM or SIGHUP (Ctrl-C, a cron timeout, a closed terminal), then the signal is raised again
 * so the exit status still says how the run ended. What a SIGKILL leaves is swept by the next
 * run into the same folder (`sweepStaleTempFiles`).
 */
const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  removeTrackedNow();
  for (const name of SIGNALS) process.removeListener(name, onSignal);
  process.kill(process.pid, signal);
}

export function trackTempFile(file: string): void {
  live.add(file);
  if (!installed) {
    installed = true;
    for (const name of SIGNALS) process.on(name, onSignal);
  }
}

export function untrackTempFile(file: string): void {
  live.delete(file);
}

/** Removes every tracked temporary file at once (synchronously: the process is about to end). */
export function removeTrackedNow(): void {
  for (const file of live) {
    try {
      rmSync(file, { force: true });
    } catch {
      // nothing more can be done while stopping
    }
  }
  live.clear();
}

/** `.cleaned.csv.<pid>.<12 hex>.tmp` and the like: the names `tempNameFor` and the commit give. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.(tmp|old)$/;
/** A file of a live process is left alone unless it has not changed for this long. */
const ABANDONED_MS = 24 * 60 * 60 * 1000;

/**
 * Removes temporary files that an earlier run of hygiene left in `dir` (killed before it could
 * clean up): those of processes that no longer run, or of this very pid (a container restarts
 * with the same pid), or untouched for a day. A concurrent run's files are left alone.
 */
export async function sweepStaleTempFiles(dir: string, finalNames: readonly string[]): Promise<string[]> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match || !finalNames.includes(match[1]!)) continue;
    const pid = Number(match[2]);
    const file = path.join(dir, name);
    if (live.has(file)) continue;
    let stale = pid === process.pid || !processRuns(pid);
    if (!stale) {
      const stat = await fsp.lstat(file).catch(() => null);
      stale = !!stat && Date.now() - stat.mtimeMs > ABANDONED_MS;
    }
    if (stale) {
      await fsp.rm(file, { force: true }).catch(() => undefined);
      removed.push(file);
    }
  }
  return removed;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
