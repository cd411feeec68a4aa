import { describe, expect, it } from 'vitest';
import { unusableAddressKind } from '../../src/dns/addresses.js';

describe('unusableAddressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.0.10', 'private'],
    ['169.254.1.1', 'link-local'],
    ['100.64.0.1', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', '"this network" (unusable)'],
    ['192.0.2.1', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'private (unique local)'],
    ['fe80::1', 'link-local'],
    ['2001:db8::25', 'documentation'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['mx.example.com', 'not an address'],
  ])('%s is %s', (address, kind) => {
    expect(unusableAddressKind(address)).toBe(kind);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2a00:1450:4001:82b::1b', '::ffff:93.184.215.14'])('%s is usable', (address) => {
    expect(unusableAddressKind(address)).toBeNull();
  });
});
