import { bodyWhere, formatBytes, type LintRule } from '../view.js';

/** Gmail shows only the first 102 KB of an HTML part; the rest (often the unsubscribe link) sits behind "View entire message". */
export const htmlClipped: LintRule = {
  id: 'html-clipped',
  summary: 'HTML part over 102 KB: Gmail clips it, hiding the end (and the unsubscribe link)',
  check(view) {
    const html = view.message.html;
    if (html === null) return [];
    const bytes = Buffer.byteLength(html);
    if (bytes <= view.thresholds.htmlClipBytes) return [];
    return [
      {
        severity: 'warning',
        where: bodyWhere(view, 'text/html', null),
        message: `the HTML part is ${formatBytes(bytes)}; Gmail clips HTML over ${formatBytes(view.thresholds.htmlClipBytes)}, so readers do not see the end of it, the unsubscribe link included`,
        fix: 'Trim the HTML: inline CSS once instead of on every element, remove comments and unused markup, or move content to your site.',
        evidence: String(bytes),
      },
    ];
  },
};
