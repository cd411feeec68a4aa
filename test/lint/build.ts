/** Small messages for rule tests, built the way the fixture generator builds them. */
import { readEml } from '../../src/lint/message.js';
import { lintMessage } from '../../src/pipeline/lint-run.js';
import { defaultLintSettings, type LintSettings } from '../../src/lint/settings.js';
import type { LintEnvironment } from '../../src/lint/view.js';

export const TEXT =
  'Hello Sam,\n\nOur spring hiking collection has arrived in the shop. This season we worked with three small workshops in Portugal to make lighter rain jackets, and every jacket can be repaired.\n\nThe shop in Leeds is open from nine to six every day except Sunday.\n';

export const GOOD_HEADERS: Record<string, string> = {
  From: 'Example Outfitters <news@news.example.com>',
  To: 'sam@example.org',
  Subject: 'Our spring hiking collection is here',
  Date: 'Fri, 20 Nov 2026 09:00:00 +0000',
  'Message-ID': '<t1@news.example.com>',
  'MIME-Version': '1.0',
  'List-Unsubscribe': '<https://news.example.com/unsubscribe/1>',
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
};

export function htmlBody(inner: string): string {
  return `<html><body><p>Hello Sam,</p><p>Our spring hiking collection has arrived in the shop. This season we worked with three small workshops in Portugal to make lighter rain jackets, and every jacket can be repaired.</p>${inner}<p><a href="https://news.example.com/unsubscribe/1">Unsubscribe</a></p></body></html>`;
}

/** A message from headers (null drops one) and parts; `rawHeaders` are added as written. */
export function eml(
  options: {
    headers?: Record<string, string | null>;
    rawHeaders?: string[];
    text?: string | null;
    html?: string | null;
    attachments?: Array<{ name: string; type: string; content: Buffer }>;
  } = {},
): Buffer {
  const headers = { ...GOOD_HEADERS, ...options.headers };
  const lines = Object.entries(headers)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`);
  lines.push(...(options.rawHeaders ?? []));
  const text = options.text === undefined ? TEXT : options.text;
  const html = options.html ?? null;
  const parts: string[] = [];
  if (text !== null) parts.push(`Content-Type: text/plain; charset=utf-8\r\n\r\n${text}`);
  if (html !== null) parts.push(`Content-Type: text/html; charset=utf-8\r\n\r\n${html}`);
  for (const a of options.attachments ?? []) {
    parts.push(
      `Content-Type: ${a.type}; name="${a.name}"\r\nContent-Disposition: attachment; filename="${a.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${a.content.toString('base64').replace(/.{76}/g, '$&\r\n')}`,
    );
  }
  if (parts.length === 1 && !options.attachments?.length) return Buffer.from(`${lines.join('\r\n')}\r\n${parts[0]}\r\n`);
  // Text and HTML are alternatives; attachments come beside them.
  const bodies = parts.slice(0, (text !== null ? 1 : 0) + (html !== null ? 1 : 0));
  const alternative =
    bodies.length === 2
      ? `Content-Type: multipart/alternative; boundary="a1"\r\n\r\n${bodies.map((p) => `--a1\r\n${p}\r\n`).join('')}--a1--`
      : bodies[0]!;
  const rest = parts.slice(bodies.length);
  if (rest.length === 0) return Buffer.from(`${lines.join('\r\n')}\r\n${alternative}\r\n`);
  const body = [alternative, ...rest].map((p) => `--b1\r\n${p}\r\n`).join('') + '--b1--\r\n';
  return Buffer.from(`${lines.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n${body}`);
}

export async function lint(bytes: Buffer, options: { settings?: LintSettings; bulk?: boolean; environment?: LintEnvironment } = {}) {
  const message = await readEml(bytes, 'test.eml');
  return lintMessage(message, {
    settings: options.settings ?? defaultLintSettings(),
    bulk: options.bulk ?? false,
    environment: options.environment ?? { resolver: null },
  });
}

export async function rulesOf(bytes: Buffer, options: Parameters<typeof lint>[1] = {}): Promise<string[]> {
  const result = await lint(bytes, options);
  return [...new Set(result.findings.map((f) => `${f.rule}:${f.severity}`))].sort();
}
