/**
 * Authentication-Results (RFC 8601) as a receiving server writes them:
 *
 *   Authentication-Results: mx.google.com; dkim=pass header.i=@shop.example header.s=s1;
 *     spf=pass (google.com: domain of ...) smtp.mailfrom=bounce@shop.example; dmarc=pass header.from=shop.example
 *
 * Only the method results are read: method, result, and the `ptype.property=value` pairs.
 */

export interface MethodResult {
  method: string;
  result: string;
  properties: Record<string, string>;
}

export interface AuthenticationResults {
  /** The server that wrote them (the authserv-id). */
  server: string;
  results: MethodResult[];
}

export function parseAuthenticationResults(value: string): AuthenticationResults {
  const statements = splitOutsideQuotes(stripComments(value), ';')
    .map((part) => part.trim())
    .filter(Boolean);
  const server = (statements.shift() ?? '').split(/\s+/)[0] ?? '';
  const results: MethodResult[] = [];
  for (const statement of statements) {
    const tokens = statement.split(/\s+/).filter(Boolean);
    const head = /^([a-z0-9_-]+)(?:\/\d+)?=([a-z0-9_-]+)$/i.exec(tokens[0] ?? '');
    if (!head) continue;
    const properties: Record<string, string> = {};
    for (const token of tokens.slice(1)) {
      const property = /^([a-z0-9_-]+\.[a-z0-9_-]+)=(.+)$/i.exec(token);
      if (property) properties[property[1]!.toLowerCase()] = property[2]!.replace(/^"|"$/g, '');
    }
    results.push({ method: head[1]!.toLowerCase(), result: head[2]!.toLowerCase(), properties });
  }
  return { server, results };
}

/** Drops (comments), which may nest and may hold semicolons. */
function stripComments(value: string): string {
  let depth = 0;
  let out = '';
  let quoted = false;
  for (const character of value) {
    if (character === '"' && depth === 0) quoted = !quoted;
    if (!quoted && character === '(') depth += 1;
    else if (!quoted && character === ')' && depth > 0) depth -= 1;
    else if (depth === 0) out += character;
  }
  return out;
}

function splitOutsideQuotes(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const character of value) {
    if (character === '"') quoted = !quoted;
    if (character === separator && !quoted) {
      parts.push(current);
      current = '';
    } else current += character;
  }
  parts.push(current);
  return parts;
}
