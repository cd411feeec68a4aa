/**
 * hygiene's library API: the same core the CLI uses.
 *
 *   import { checkAddress, classifyBounce, parseBounces } from 'hygiene';
 */
import { openBounceStream } from './bounces/input.js';
import { emptyReadStats, readOpened, type BounceReadStats, type ReadBouncesOptions } from './pipeline/read-bounces.js';
import type { BounceRecord } from './bounces/types.js';

export { checkAddress, mailboxKey, type CheckOptions } from './address/check.js';
export type { AddressCheck, AddressReason } from './address/types.js';
export { splitAddresses } from './address/multiple.js';
export { keepsMailbox } from './address/fix.js';
export { effectiveSuppressions, EXPORT_LAYOUTS, type EffectiveSuppression, type ExportFormat } from './pipeline/suppression-list.js';
export { classifyBounce, detectStage, type SmtpStage } from './bounces/classify/index.js';
export { FORMATS, detectFormat } from './bounces/formats/index.js';
export type {
  BounceClass,
  BounceEvidence,
  BounceReason,
  BounceRecord,
  ClassifyResult,
  DeliveryAction,
  FormatParser,
  ParsedRecord,
} from './bounces/types.js';
export { runClean, type CleanOptions, type CleanReport, type HygieneReason } from './pipeline/clean.js';
export {
  checkDomain,
  checkDomains,
  checkSenderDomain,
  createResolver,
  type DnsResolver,
  type DomainVerdict,
  type DomainVerdictKind,
  type SenderFinding,
  type SenderReport,
} from './dns/index.js';
export { readEml, templateMessage, type LintMessage, type TemplateInput } from './lint/message.js';
export { defaultLintSettings, type LintSettings } from './lint/settings.js';
export { LINT_RULE_IDS, type Finding, type LintRuleId, type MessageResult, type Severity } from './lint/types.js';
export { lintMessage, type LintOptions } from './pipeline/lint-run.js';
export { ERROR_CODES, HygieneError, type ErrorCode } from './errors.js';
export { VERSION } from './version.js';

export interface ParseBouncesOptions extends ReadBouncesOptions {
  /** Format name (`postfix`, `ses`, `eml`, ...); detected from the content when absent. */
  format?: string;
  /** Name used in each record's `source` (default `input`). */
  file?: string;
  /** Receives line, record, skipped and malformed counts as reading goes. */
  stats?: BounceReadStats;
}

/**
 * Parses and classifies a bounce source given as a byte stream (a file stream, stdin, gzip data
 * is recognised), yielding one classified record per recipient per delivery result.
 */
export async function* parseBounces(
  stream: AsyncIterable<Buffer | string>,
  options: ParseBouncesOptions = {},
): AsyncGenerator<BounceRecord> {
  const { format, file, stats, ...rest } = options;
  const opened = await openBounceStream(stream);
  yield* readOpened(
    opened,
    { path: '-', name: file ?? 'input', fromDirectory: false },
    { ...rest, ...(format === undefined ? {} : { inputFormat: format }) },
    stats ?? emptyReadStats(),
  );
}
