/**
 * A DNS server on 127.0.0.1 (a random port) that serves the DKIM key of the lint fixtures, so
 * the authentication rule's signature check runs against real DNS answers without the network.
 */
import dns2 from 'dns2';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const { Packet } = dns2;
export const SELECTOR = 'hygiene2026';
const KEY = path.resolve(__dirname, '../../fixtures/lint/keys/dkim-test-private.pem');

/** The TXT record that publishes the fixtures' test key, in strings of at most 255 characters. */
export function dkimRecord(): string[] {
  const der = createPublicKey(readFileSync(KEY, 'utf8')).export({ type: 'spki', format: 'der' });
  const value = `v=DKIM1; k=rsa; p=${der.toString('base64')}`;
  return value.match(/.{1,255}/g)!;
}

export interface TestDns {
  /** "127.0.0.1:PORT", for --dns-server. */
  address: string;
  /** Names asked for, in order. */
  queries: string[];
  close(): Promise<void>;
}

/** Serves `records` (name -> TXT strings); every other name is NXDOMAIN. */
export async function startTestDns(records: Record<string, string[]> = defaultRecords()): Promise<TestDns> {
  const queries: string[] = [];
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0]!;
      const name = question.name.toLowerCase();
      queries.push(name);
      const data = records[name];
      if (data && question.type === Packet.TYPE.TXT) {
        response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data } as never);
      } else if (!data) {
        response.header.rcode = (Packet as unknown as { RCODE: { NXDOMAIN: number } }).RCODE.NXDOMAIN;
      }
      send(response);
    },
  });
  const listening = new Promise<void>((resolve) => server.on('listening', () => resolve()));
  server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  await listening;
  const { port } = (server.addresses() as { udp: { port: number } }).udp;
  return {
    address: `127.0.0.1:${port}`,
    queries,
    close: () => server.close() as Promise<void>,
  };
}

export function defaultRecords(): Record<string, string[]> {
  return {
    [`${SELECTOR}._domainkey.example.com`]: dkimRecord(),
    [`${SELECTOR}._domainkey.example.net`]: dkimRecord(),
  };
}
