/**
 * The stage of one delivery attempt, for the classifier: a stage field a parser or vendor set,
 * else the wording of the diagnostic (../smtp-stage.ts holds both readings, shared with the
 * parsers).
 */
import { normalizeDiagnostic } from '../smtp-text.js';
import { findStage, stageOfCommand, type SmtpStage } from '../smtp-stage.js';

export { findStage, stageOfCommand, type SmtpStage } from '../smtp-stage.js';

/**
 * The stage of one delivery attempt: the command field when a parser or vendor set one it could
 * read, else what the diagnostic text says. Null when nothing says (most ESP exports, bare
 * DSNs): callers must treat that as "not known", not as RCPT.
 */
export function detectStage(evidence: { command?: unknown; diagnostic?: unknown }, normalizedText?: string): SmtpStage | null {
  const fromField = stageOfCommand(evidence.command);
  if (fromField !== null) return fromField;
  if (normalizedText !== undefined) return findStage(normalizedText);
  return typeof evidence.diagnostic === 'string' ? findStage(normalizeDiagnostic(evidence.diagnostic)) : null;
}
