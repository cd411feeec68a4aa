/**
 * How each lint rule is set: switched off, re-graded, and its thresholds. The defaults here are
 * what `hygiene lint` uses without a config file; `lint.rules` in hygiene.config.json changes
 * them (validated in src/config).
 */
import type { LintRuleId, Severity } from './types.js';

/** `off` drops a rule's findings; a severity re-grades every finding of the rule. */
export type RuleGrade = Severity | 'off';

export interface LintThresholds {
  /** size-limit: the encoded message size (bytes) from which it warns and from which it fails. */
  sizeWarningBytes: number;
  sizeErrorBytes: number;
  /** html-clipped: Gmail clips an HTML part larger than this (bytes of HTML source). */
  htmlClipBytes: number;
  /** image-only: fewer visible words than this with images shown is an image-only message. */
  imageOnlyMinWords: number;
  /** image-only: with one big image (>= 300x300 px declared), this many words are still too few. */
  bigImageMinWords: number;
  /** subject-caps: share of the subject's words written in capitals. */
  subjectCapsShare: number;
  /** body-caps: share of the body's words (of 4+ letters) written in capitals. */
  bodyCapsShare: number;
  /** too-many-links: links (distinct hrefs count once each time they appear) and distinct domains. */
  maxLinks: number;
  maxLinkDomains: number;
  /** list-unsubscribe: lint every message as bulk mail (one-click unsubscribe is then an error). */
  bulk: boolean;
}

export interface LintSettings {
  /** Per rule: a grade that replaces the rule's own severities, or absent for the rule's own. */
  grades: Partial<Record<LintRuleId, RuleGrade>>;
  thresholds: LintThresholds;
}

export const DEFAULT_THRESHOLDS: Readonly<LintThresholds> = Object.freeze({
  // Gmail refuses messages over 25 MB as sent (attachments grow by a third in base64).
  sizeWarningBytes: 10 * 1024 * 1024,
  sizeErrorBytes: 25 * 1024 * 1024,
  htmlClipBytes: 102 * 1024,
  imageOnlyMinWords: 25,
  bigImageMinWords: 60,
  subjectCapsShare: 0.5,
  bodyCapsShare: 0.25,
  maxLinks: 30,
  maxLinkDomains: 8,
  bulk: false,
});

export function defaultLintSettings(): LintSettings {
  return { grades: {}, thresholds: { ...DEFAULT_THRESHOLDS } };
}
