import { isIpHost, isWebLink } from '../links.js';
import { linkWhere, type LintRule, type RuleFinding } from '../view.js';

export const ipLink: LintRule = {
  id: 'ip-link',
  summary: 'links to raw IP addresses, and javascript: links',
  check(view) {
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const link of [...view.htmlLinks, ...view.textLinks]) {
      if (seen.has(link.href)) continue;
      if (isWebLink(link) && isIpHost(link.host)) {
        seen.add(link.href);
        findings.push({
          severity: 'error',
          where: linkWhere(view, link),
          message: `the link ${link.href} goes to the raw IP address ${link.host}; legitimate senders link to names, so filters block this`,
          fix: 'Link to a host name on your own domain.',
          evidence: link.href,
        });
      } else if (link.scheme === 'javascript' || link.scheme === 'vbscript') {
        seen.add(link.href);
        findings.push({
          severity: 'error',
          where: linkWhere(view, link),
          message: `a ${link.scheme}: link ("${link.href.slice(0, 60)}"); mail clients do not run scripts and filters flag them`,
          fix: 'Use an ordinary https link.',
          evidence: link.href,
        });
      }
    }
    return findings;
  },
};
