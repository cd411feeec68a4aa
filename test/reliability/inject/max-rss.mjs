// Loaded with `node --import`: prints the process's peak resident memory (KB) to stderr at exit.
// VmHWM of /proc, not resourceUsage().maxRSS: Linux carries maxRSS over from the parent across
// fork and exec, so a child of a big test process would report the parent's peak.
import { readFileSync } from 'node:fs';

process.on('exit', () => {
  let kb = process.resourceUsage().maxRSS;
  try {
    kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
  } catch {
    // no /proc: the rusage figure
  }
  process.stderr.write(`\nmax-rss-kb=${kb}\n`);
});
