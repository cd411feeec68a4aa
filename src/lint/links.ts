/**
 * The links of a message: from the HTML (with the text each shows) and from the text part (bare
 * URLs), with the host and registrable domain each goes to.
 */
import { isIP } from 'node:net';
import { getDomain } from 'tldts';
import type { HtmlLink } from './html.js';

export interface MessageLink {
  href: string;
  /** What the reader sees: the link text in HTML, the URL itself in plain text. */
  text: string;
  area: 'text/html' | 'text/plain';
  line: number;
  /** Lower-case scheme without the colon (`https`, `mailto`, `javascript`), or null for a relative link. */
  scheme: string | null;
  /** Lower-case host name or IP literal (without brackets), for URLs that have one. */
  host: string | null;
  /** The registrable domain of the host (`news.shop.example.co.uk` -> `example.co.uk`), or null. */
  domain: string | null;
}

/** URLs in plain text end at spaces and at characters that do not belong to them. */
const TEXT_URL = /\b(?:https?:\/\/|www\.)[^\s<>"'`{}|\\^]+/gi;

export function htmlLinks(links: HtmlLink[]): MessageLink[] {
  return links.map((link) => describe(link.href, link.text, 'text/html', link.line));
}

export function textLinks(text: string): MessageLink[] {
  const result: MessageLink[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    for (const match of line.matchAll(TEXT_URL)) {
      const url = match[0].replace(/[.,;:!?)\]]+$/, '');
      result.push(describe(/^www\./i.test(url) ? `http://${url}` : url, url, 'text/plain', index + 1));
    }
  });
  return result;
}

/** Whether the link goes somewhere over the web (http or https). */
export function isWebLink(link: MessageLink): boolean {
  return link.scheme === 'http' || link.scheme === 'https';
}

export function isIpHost(host: string | null): boolean {
  return host !== null && isIP(host) !== 0;
}

export function describe(href: string, text: string, area: MessageLink['area'], line: number): MessageLink {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase() ?? null;
  let host: string | null = null;
  if (scheme === 'http' || scheme === 'https' || scheme === 'ftp') host = hostOf(href);
  return { href, text, area, line, scheme, host, domain: domainOf(host) };
}

export function hostOf(url: string): string | null {
  try {
    const host = new URL(url.trim()).hostname.toLowerCase();
    return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  } catch {
    return null;
  }
}

/** The registrable domain of a host (IPs and unknown suffixes give the host itself). */
export function domainOf(host: string | null): string | null {
  if (host === null || host === '') return null;
  if (isIP(host) !== 0) return host;
  return getDomain(host, { allowPrivateDomains: false }) ?? host;
}
