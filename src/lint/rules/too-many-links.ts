import { isWebLink, type MessageLink } from '../links.js';
import { bodyWhere, type LintRule, type RuleFinding } from '../view.js';

export const tooManyLinks: LintRule = {
  id: 'too-many-links',
  summary: 'more links than the threshold (config), or links to many different domains',
  check(view) {
    // The text part repeats the HTML's links: count the HTML when there is one.
    const links: MessageLink[] = (view.html ? view.htmlLinks : view.textLinks).filter(isWebLink);
    const area = view.html ? 'text/html' : 'text/plain';
    const { maxLinks, maxLinkDomains } = view.thresholds;
    const findings: RuleFinding[] = [];
    if (links.length > maxLinks) {
      findings.push({
        severity: 'warning',
        where: bodyWhere(view, area, null),
        message: `the ${area} part has ${links.length} links (more than ${maxLinks}); filters score link-heavy mail as spam`,
        fix: 'Keep the links that matter: one call to action, and a few supporting links.',
        evidence: String(links.length),
      });
    }
    const domains = [...new Set(links.map((link) => link.domain).filter((domain): domain is string => domain !== null))];
    if (domains.length > maxLinkDomains) {
      findings.push({
        severity: 'warning',
        where: bodyWhere(view, area, null),
        message: `the links go to ${domains.length} different domains (more than ${maxLinkDomains}): ${domains.slice(0, 10).join(', ')}${domains.length > 10 ? ', ...' : ''}`,
        fix: 'Link to your own domain (and a few well-known ones); every extra domain is one more reputation the message depends on.',
        evidence: domains.join(' '),
      });
    }
    return findings;
  },
};
