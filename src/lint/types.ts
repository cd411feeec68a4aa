/**
 * The vocabulary of `hygiene lint`: rule ids (part of the contract: scripts and config files name
 * them), severities, where a finding is, and what a run returns.
 */

export const LINT_RULE_IDS = [
  'size-limit',
  'html-clipped',
  'no-text-part',
  'image-only',
  'subject-caps',
  'body-caps',
  'punctuation',
  'spam-phrases',
  'too-many-links',
  'url-shortener',
  'link-mismatch',
  'ip-link',
  'dangerous-content',
  'test-string',
  'list-unsubscribe',
  'headers',
  'authentication',
] as const;
export type LintRuleId = (typeof LINT_RULE_IDS)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Where a finding is. `area` says which part of the message; `line` is the line in that area
 * (the header's line in the message file, the line within the decoded HTML or text part).
 * `file`/`fileLine` are set when the place is a line of a file on disk (a header of an .eml,
 * a line of a template), so editors and CI annotations can point at it.
 */
export interface Where {
  area: 'message' | 'header' | 'subject' | 'text/plain' | 'text/html' | 'link' | 'attachment';
  /** The header name, the attachment's file name, or the link's href. */
  name?: string;
  /** For a link: the part it is in. */
  part?: 'text/html' | 'text/plain';
  line?: number;
  file?: string;
  fileLine?: number;
}

export interface Finding {
  rule: LintRuleId;
  severity: Severity;
  where: Where;
  /** What is wrong, in a sentence. */
  message: string;
  /** What to do about it. */
  fix: string;
  /** The text that fired the rule (a phrase, a URL, a header value), when there is one. */
  evidence?: string;
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export interface MessageResult {
  /** The .eml path, or the template's HTML path. */
  file: string;
  kind: 'eml' | 'template';
  subject: string | null;
  from: string | null;
  /** Whether the message was linted as bulk mail (one-click unsubscribe required). */
  bulk: boolean;
  findings: Finding[];
  counts: SeverityCounts;
}

export interface LintReport {
  /** No error, and no more warnings than `maxWarnings` allows. */
  passed: boolean;
  maxWarnings: number | null;
  /** The rules that ran (the config can switch some off). */
  rules: LintRuleId[];
  messages: MessageResult[];
  counts: SeverityCounts;
}
