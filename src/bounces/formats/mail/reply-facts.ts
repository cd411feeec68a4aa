/**
 * The reply code and SMTP command a diagnostic text names, remembered per text: bounces from one
 * mail system repeat the same few diagnostics, and finding the command reads the whole text.
 */
import { findCommand, findReplyCode, normalizeDiagnostic } from '../../smtp-text.js';

export interface ReplyFacts {
  smtpCode: string | null;
  command: string | null;
}

/** Distinct texts remembered; past this the memory starts afresh. */
const MAX_REMEMBERED = 4096;
/** Longer texts are read every time (rare, and not worth keeping as keys). */
const MAX_KEY_LENGTH = 2048;
const remembered = new Map<string, ReplyFacts>();

/** `findReplyCode` and `findCommand` of the normalized `text` (empty when null). */
export function replyFactsOf(text: string | null | undefined): ReplyFacts {
  const key = text ?? '';
  const known = remembered.get(key);
  if (known !== undefined) return known;
  const normalized = normalizeDiagnostic(text);
  const facts: ReplyFacts = { smtpCode: findReplyCode(normalized), command: findCommand(normalized) };
  if (key.length <= MAX_KEY_LENGTH) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(key, facts);
  }
  return facts;
}
