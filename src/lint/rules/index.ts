/** Every lint rule, in the order of the report. A new rule is one file plus one line here. */
import type { LintRule } from '../view.js';
import { authentication } from './authentication.js';
import { bodyCaps } from './body-caps.js';
import { dangerousContent } from './dangerous-content.js';
import { headers } from './headers.js';
import { htmlClipped } from './html-clipped.js';
import { imageOnly } from './image-only.js';
import { ipLink } from './ip-link.js';
import { linkMismatch } from './link-mismatch.js';
import { listUnsubscribe } from './list-unsubscribe.js';
import { noTextPart } from './no-text-part.js';
import { punctuation } from './punctuation.js';
import { sizeLimit } from './size-limit.js';
import { spamPhrases } from './spam-phrases.js';
import { subjectCaps } from './subject-caps.js';
import { testString } from './test-string.js';
import { tooManyLinks } from './too-many-links.js';
import { urlShortener } from './url-shortener.js';

export const LINT_RULES: readonly LintRule[] = [
  sizeLimit,
  htmlClipped,
  noTextPart,
  imageOnly,
  subjectCaps,
  bodyCaps,
  punctuation,
  spamPhrases,
  tooManyLinks,
  urlShortener,
  linkMismatch,
  ipLink,
  dangerousContent,
  testString,
  listUnsubscribe,
  headers,
  authentication,
];
