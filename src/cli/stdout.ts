import { once } from 'node:events';

/** Writes to stdout with back-pressure, so large outputs piped to a slow reader do not pile up. */
export async function writeOut(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
