import { clip, formatBytes, type LintRule } from '../view.js';

/**
 * The size as sent, transfer encoding included: a 20 MB attachment is about 27 MB in base64,
 * over the 25 MB that Gmail and most providers accept.
 */
export const sizeLimit: LintRule = {
  id: 'size-limit',
  summary: 'message size as sent (encoding included): over 25 MB is refused, over 10 MB is slow and often bounced',
  check(view) {
    const { encodedSize, attachments, kind } = view.message;
    const { sizeErrorBytes, sizeWarningBytes } = view.thresholds;
    if (encodedSize <= sizeWarningBytes) return [];
    const largest = [...attachments].sort((a, b) => b.size - a.size)[0];
    const measured = kind === 'template' ? 'estimated as sent' : 'as sent, with its transfer encoding';
    const biggest = largest
      ? `; the largest attachment is ${clip(largest.filename ?? largest.mimeType, 60)} (${formatBytes(largest.size)} before encoding)`
      : '';
    const error = encodedSize > sizeErrorBytes;
    return [
      {
        severity: error ? 'error' : 'warning',
        where: largest ? { area: 'attachment', name: largest.filename ?? largest.mimeType } : { area: 'message' },
        message: `the message is ${formatBytes(encodedSize)} ${measured}${biggest}; ${error ? `over ${formatBytes(sizeErrorBytes)} it is refused by Gmail and most providers` : `over ${formatBytes(sizeWarningBytes)} many receivers slow it down or refuse it`}`,
        fix: 'Link to large files on your site instead of attaching them, and compress images.',
        evidence: String(encodedSize),
      },
    ];
  },
};
