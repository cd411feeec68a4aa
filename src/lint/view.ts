/**
 * A message as the rules see it: parsed once (HTML walked, links gathered, bodies located) and
 * shared by every rule, plus helpers that say where something is.
 */
import { analyzeHtml, lineAtOffset, locatePlainText, type HtmlAnalysis, type LocatedText } from './html.js';
import { htmlLinks, textLinks, type MessageLink } from './links.js';
import { headerValue, type LintMessage } from './message.js';
import type { LintThresholds } from './settings.js';
import type { Finding, LintRuleId, Where } from './types.js';

export interface BodyText {
  area: 'text/html' | 'text/plain';
  located: LocatedText;
}

export interface MessageView {
  message: LintMessage;
  html: HtmlAnalysis | null;
  /** Links of the HTML part and of the text part. */
  htmlLinks: MessageLink[];
  textLinks: MessageLink[];
  /** What the reader reads: the HTML's visible text, then the text part. */
  bodies: BodyText[];
  thresholds: LintThresholds;
  /** Linted as bulk mail (from --bulk, the config, or Precedence: bulk / List-Id). */
  bulk: boolean;
}

/** How the authentication rule may reach DNS: only when asked (`--dns`). */
export interface LintEnvironment {
  resolver: ((name: string, type: string) => Promise<unknown>) | null;
}

export type RuleFinding = Omit<Finding, 'rule'>;

export interface LintRule {
  id: LintRuleId;
  /** One line: what the rule looks for (help text, JUnit test names). */
  summary: string;
  check(view: MessageView, environment: LintEnvironment): RuleFinding[] | Promise<RuleFinding[]>;
}

export function viewOf(message: LintMessage, thresholds: LintThresholds, bulkFlag: boolean): MessageView {
  const html = message.html !== null && message.html.trim() !== '' ? analyzeHtml(message.html) : null;
  const bodies: BodyText[] = [];
  if (html) bodies.push({ area: 'text/html', located: html.visibleText });
  if (message.text !== null && message.text.trim() !== '') bodies.push({ area: 'text/plain', located: locatePlainText(message.text) });
  const precedence = (headerValue(message, 'precedence') ?? '').trim().toLowerCase();
  const bulk = bulkFlag || thresholds.bulk || precedence === 'bulk' || precedence === 'list' || message.headers.has('list-id');
  return {
    message,
    html,
    htmlLinks: html ? htmlLinks(html.links) : [],
    textLinks: message.text ? textLinks(message.text) : [],
    bodies,
    thresholds,
    bulk,
  };
}

/** A place in a body part; for a template the part is a file of its own, so the line is a file line. */
export function bodyWhere(view: MessageView, area: 'text/html' | 'text/plain', line: number | null): Where {
  const file = area === 'text/html' ? view.message.htmlFile : view.message.textFile;
  const where: Where = { area };
  if (line !== null) where.line = line;
  if (file !== null) {
    where.file = file;
    if (line !== null) where.fileLine = line;
  }
  return where;
}

export function bodyOffsetWhere(view: MessageView, body: BodyText, offset: number): Where {
  return bodyWhere(view, body.area, lineAtOffset(body.located, offset));
}

/** A header field: the line in the .eml file where it starts. */
export function headerWhere(view: MessageView, key: string, name?: string): Where {
  const field = view.message.fields.find((f) => f.key === key);
  const where: Where = { area: key === 'subject' ? 'subject' : 'header', name: field?.name ?? name ?? key };
  if (field) {
    where.line = field.line;
    if (view.message.kind === 'eml') {
      where.file = view.message.file;
      where.fileLine = field.line;
    }
  }
  return where;
}

export function linkWhere(view: MessageView, link: MessageLink): Where {
  return { ...bodyWhere(view, link.area, link.line), area: 'link', name: link.href, part: link.area };
}

/** Short text for messages: long values are cut with an ellipsis. */
export function clip(text: string, length = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
