/**
 * A real DNS server on 127.0.0.1 (dns2, UDP and TCP) serving a fixed zone, for tests of the
 * resolver wrapper and of the built CLI. It answers only what the zone says, counts every
 * question it gets, and never forwards anything: no test reaches beyond loopback.
 */
import dns2 from 'dns2';

const { Packet } = dns2;
/** The response codes, which dns2's type declarations leave out. */
const RCODE = (Packet as unknown as { RCODE: Record<'NXDOMAIN' | 'SERVFAIL' | 'REFUSED', number> }).RCODE;

export interface FakeName {
  MX?: Array<[priority: number, exchange: string]>;
  A?: string[];
  AAAA?: string[];
  TXT?: string[];
  /** SOA of a zone apex: the minimum is what negative answers are cached for. */
  SOA?: { minimum: number };
  /** Answer every question for this name with this code instead. */
  rcode?: 'SERVFAIL' | 'REFUSED' | 'NXDOMAIN';
  /** Wait this long before answering (past the client's timeout: a slow server). */
  delayMs?: number;
  /** TTL of every record of this name (default 3600). */
  ttl?: number;
}

/** Names (lower case, no trailing dot) to what they hold; a name not listed is NXDOMAIN. */
export type FakeZone = Record<string, FakeName>;

export interface Question {
  name: string;
  type: string;
}

export interface FakeDnsServer {
  port: number;
  /** `127.0.0.1:PORT`, as --dns-server takes it. */
  address: string;
  /** Every question asked so far, in order. */
  questions: Question[];
  close(): Promise<void>;
}

const TYPE_NAMES = new Map<number, string>(Object.entries(Packet.TYPE).map(([name, code]) => [code as number, name]));

export async function startFakeDns(zone: FakeZone): Promise<FakeDnsServer> {
  const questions: Question[] = [];
  let closed = false;
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      if (!question) {
        send(response);
        return;
      }
      const name = question.name.toLowerCase().replace(/\.$/, '');
      const type = TYPE_NAMES.get(question.type) ?? String(question.type);
      questions.push({ name, type });
      const entry = zone[name];
      // A delayed answer may fire after the test closed the server: dns2 then rejects
      // with "Not running", which must not surface as an unhandled rejection.
      const answer = () => {
        if (closed) return;
        fill(response as unknown as ResponsePacket, name, type, entry);
        Promise.resolve(send(response)).catch(() => {});
      };
      if (entry?.delayMs) setTimeout(answer, entry.delayMs).unref();
      else answer();
    },
  });
  await server.listen({ udp: { port: 0, address: '127.0.0.1', type: 'udp4' } } as Parameters<typeof server.listen>[0]);
  const port = (server.addresses() as { udp: { port: number } }).udp.port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    questions,
    close: () => {
      closed = true;
      return server.close() as Promise<void>;
    },
  };
}

// dns2's response packet type is loose; these are the fields used here.
interface ResponsePacket {
  header: { rcode: number; aa: number };
  answers: Array<Record<string, unknown>>;
}

function fill(response: ResponsePacket, name: string, type: string, entry: FakeName | undefined): void {
  response.header.aa = 1;
  if (entry === undefined) {
    response.header.rcode = RCODE.NXDOMAIN;
    return;
  }
  if (entry.rcode) {
    response.header.rcode = RCODE[entry.rcode];
    return;
  }
  const ttl = entry.ttl ?? 3600;
  const base = { name, class: Packet.CLASS.IN, ttl };
  if (type === 'MX') {
    for (const [priority, exchange] of entry.MX ?? []) response.answers.push({ ...base, type: Packet.TYPE.MX, priority, exchange });
  } else if (type === 'A') {
    for (const address of entry.A ?? []) response.answers.push({ ...base, type: Packet.TYPE.A, address });
  } else if (type === 'AAAA') {
    for (const address of entry.AAAA ?? []) response.answers.push({ ...base, type: Packet.TYPE.AAAA, address });
  } else if (type === 'TXT') {
    for (const data of entry.TXT ?? []) response.answers.push({ ...base, type: Packet.TYPE.TXT, data });
  } else if (type === 'SOA' && entry.SOA) {
    response.answers.push({
      ...base,
      type: Packet.TYPE.SOA,
      primary: `ns.${name}`,
      admin: `hostmaster.${name}`,
      serial: 1,
      refresh: 3600,
      retry: 600,
      expiration: 604800,
      minimum: entry.SOA.minimum,
    });
  }
}
