import { findStage } from './stage.js';

/**
 * Pulls the real enhanced status code, SMTP reply code and SMTP command out of diagnostic text.
 * Every expression here is linear: fixed-width digits, no nested or overlapping quantifiers.
 */

/** `5.1.1`, `4.7.26`, `5.1.351`; not part of an IP address or a version number (`192.0.5.4.4`). */
const ENHANCED_CODE = /(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?![\w]|\.\d)/g;

/** A reply code where replies start: at the beginning, after `said:`, `<<<`, `;`, `(`, `#`... */
const REPLY_CODE = /(?:^|[\s:;(\[#<>'"=])([45][0-9]\d)(?=[\s\-:.,;)\]]|$)/g;

/** The status classes an enhanced code may have; anything else (`3.1.1`, `5.1`) is not one. */
export function cleanStatus(status: string | null | undefined): string | null {
  if (!status) return null;
  const match = /^\s*([245])\.(\d{1,3})\.(\d{1,3})/.exec(status);
  return match ? `${match[1]}.${match[2]}.${match[3]}` : null;
}

/**
 * How much an enhanced code says: failure classes (4, 5) over success (2, the `250 2.1.5 Ok`
 * lines of a transcript), then a specific detail (`5.1.1`) over `5.1.0` over `5.0.0`.
 */
export function statusWeight(code: string): number {
  const [klass, subject, detail] = code.split('.');
  return (klass === '2' ? 0 : 10) + (detail !== '0' ? 2 : subject !== '0' ? 1 : 0);
}

/** The most telling enhanced code in the text (the first of the best weight), or null. */
export function findEnhancedStatus(text: string): string | null {
  let best: string | null = null;
  let bestWeight = -1;
  ENHANCED_CODE.lastIndex = 0;
  for (let match = ENHANCED_CODE.exec(text); match; match = ENHANCED_CODE.exec(text)) {
    const code = `${match[1]}.${match[2]}.${match[3]}`;
    const weight = statusWeight(code);
    if (weight > bestWeight) {
      best = code;
      bestWeight = weight;
      if (weight === 12) break;
    }
  }
  return best;
}

/** The first 4xx/5xx reply code in the text, or null. */
export function findReplyCode(text: string): string | null {
  REPLY_CODE.lastIndex = 0;
  const match = REPLY_CODE.exec(text);
  return match ? match[1]! : null;
}

/**
 * Which SMTP command the remote server was answering, from the wording of the text (see
 * stage.ts for the families of wording). Kept under this name for the parsers that use it.
 */
export function findCommand(normalizedText: string): string | null {
  return findStage(normalizedText);
}
