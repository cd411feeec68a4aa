import { parse } from 'tldts';
import { domainOf, isWebLink } from '../links.js';
import { linkWhere, type LintRule, type RuleFinding } from '../view.js';

/** A URL or domain name shown in link text: "www.bank.example", "https://shop.example/sale". */
const SHOWN_URL = /(?:https?:\/\/)?((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,63})(?=$|[\s/:?#.,;!)\]])/iu;

/** The registrable domain a link text shows, when it shows one (a known public suffix). */
export function shownDomain(text: string): string | null {
  if (text.includes('@')) return null; // an email address, not a web address
  const match = SHOWN_URL.exec(text);
  if (!match) return null;
  const host = match[1]!.toLowerCase();
  const parsed = parse(host);
  if (!parsed.domain || !(parsed.isIcann || parsed.isPrivate)) return null;
  return domainOf(host);
}

/** Phishing's oldest trick: the text shows one address, the link goes to another. */
export const linkMismatch: LintRule = {
  id: 'link-mismatch',
  summary: 'link text that shows one URL or domain while the link goes to another',
  check(view) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const link of view.htmlLinks) {
      if (!isWebLink(link) || link.domain === null) continue;
      const shown = shownDomain(link.text);
      if (shown === null || shown === link.domain) continue;
      // The same link repeated (header and footer) is one finding.
      const key = `${link.text}\u0000${link.href}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        severity: 'error',
        where: linkWhere(view, link),
        message: `the link text shows ${shown} ("${link.text.slice(0, 60)}") but the link goes to ${link.domain}; filters treat this as phishing`,
        fix: 'Show the address the link really goes to, or use words ("Read the guide") as the link text.',
        evidence: link.href,
      });
    }
    return findings;
  },
};
