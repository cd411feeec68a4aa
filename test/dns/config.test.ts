import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

const workdir = (config: unknown) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-dns-config-'));
  writeFileSync(path.join(dir, 'hygiene.config.json'), JSON.stringify(config));
  return dir;
};

describe('DNS settings in hygiene.config.json', () => {
  it('has polite defaults, and turns them into the units the checks take', () => {
    const config = loadConfig({ cwd: mkdtempSync(path.join(os.tmpdir(), 'hygiene-dns-config-')) });
    expect(config.checkDomains).toBe(false);
    expect(config.dns).toEqual({ servers: [], timeoutMs: 5000, concurrency: 16, budgetMs: 600_000 });
    expect(config.check).toMatchObject({ maxDeadDomain: 0, maxDns: null, maxSender: 0 });
  });

  it('reads every key from the file; flags win', () => {
    const dir = workdir({
      checkDomains: true,
      dnsServers: ['127.0.0.1:5353', '[::1]:53', '9.9.9.9'],
      dnsTimeout: 0.5,
      dnsConcurrency: 4,
      dnsBudget: '2m',
    });
    expect(loadConfig({ cwd: dir }).dns).toEqual({
      servers: ['127.0.0.1:5353', '[::1]:53', '9.9.9.9'],
      timeoutMs: 500,
      concurrency: 4,
      budgetMs: 120_000,
    });
    const flagged = loadConfig({ cwd: dir, overrides: { dnsServers: '10.0.0.53', dnsConcurrency: '8' } });
    expect(flagged.dns).toMatchObject({ servers: ['10.0.0.53'], concurrency: 8 });
    expect(flagged.sources.dnsServers).toBe('flag');
  });

  it.each([
    [{ dnsServers: ['dns.example.net'] }, 'dnsServers must be a list of resolver addresses'],
    [{ dnsServers: ['127.0.0.1:99999'] }, 'dnsServers must be a list of resolver addresses'],
    [{ dnsTimeout: 0 }, 'dnsTimeout must be a number of seconds from 0.05 to 120'],
    [{ dnsConcurrency: 1000 }, 'dnsConcurrency must be a whole number from 1 to 256'],
    [{ dnsBudget: '0m' }, 'dnsBudget must be a duration longer than zero'],
    [{ checkDomains: 'yes' }, 'checkDomains must be true or false'],
  ])('refuses %j', (config, message) => {
    expect(() => loadConfig({ cwd: workdir(config) })).toThrow(message);
  });
});
