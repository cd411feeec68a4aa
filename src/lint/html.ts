/**
 * What a reader sees of an HTML part, read with htmlparser2 (never with regular expressions):
 * the visible text (hidden elements left out), alt texts apart, links with the text they show,
 * images with their declared size, and the elements mail clients refuse to run.
 */
import { Parser } from 'htmlparser2';

export interface HtmlLink {
  href: string;
  /** The visible text of the link (an image link shows its alt text). */
  text: string;
  line: number;
}

export interface HtmlImage {
  src: string;
  alt: string;
  width: number | null;
  height: number | null;
  line: number;
}

export interface HtmlElement {
  name: string;
  line: number;
  /** The address it loads or sends to (src, action, data), when it has one. */
  target: string | null;
}

/** Text with the source line of each piece, so a finding can say where it is. */
export interface LocatedText {
  text: string;
  /** Offsets in `text` where a piece starts, with the line it came from, ascending. */
  pieces: Array<{ offset: number; line: number }>;
}

export interface HtmlAnalysis {
  visibleText: LocatedText;
  altText: LocatedText;
  links: HtmlLink[];
  images: HtmlImage[];
  /** script, form, iframe, object, embed, applet: blocked by mail clients, flagged by filters. */
  activeElements: HtmlElement[];
}

/** Elements whose content is never shown. */
const NEVER_SHOWN = new Set(['head', 'title', 'style', 'script', 'template', 'noscript', 'xml']);
const ACTIVE = new Set(['script', 'form', 'iframe', 'object', 'embed', 'applet', 'frame', 'frameset']);
/** Elements that break the text flow (so words on both sides do not run together). */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'body',
  'html',
]);

interface OpenElement {
  name: string;
  hidden: boolean;
  link: HtmlLink | null;
}

export function analyzeHtml(html: string): HtmlAnalysis {
  const lineStarts = lineStartOffsets(html);
  const lineAt = (index: number) => lineOf(lineStarts, index);
  const visible = new TextBuilder();
  const alt = new TextBuilder();
  const links: HtmlLink[] = [];
  const images: HtmlImage[] = [];
  const activeElements: HtmlElement[] = [];
  const stack: OpenElement[] = [];
  const hiddenNow = () => stack.length > 0 && stack[stack.length - 1]!.hidden;
  const openLink = () => {
    for (let i = stack.length - 1; i >= 0; i -= 1) if (stack[i]!.link) return stack[i]!.link;
    return null;
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const line = lineAt(parser.startIndex);
        const hidden = hiddenNow() || NEVER_SHOWN.has(name) || isHidden(attributes);
        if (ACTIVE.has(name)) activeElements.push({ name, line, target: attributes.src ?? attributes.action ?? attributes.data ?? null });
        if (BLOCK.has(name)) visible.breakText();
        let link: HtmlLink | null = null;
        if ((name === 'a' || name === 'area') && attributes.href !== undefined) {
          link = { href: attributes.href.trim(), text: name === 'area' ? (attributes.alt ?? '') : '', line };
          links.push(link);
        }
        if (name === 'img') {
          const image: HtmlImage = {
            src: attributes.src ?? '',
            alt: attributes.alt ?? '',
            width: pixels(attributes.width) ?? styleLength(attributes.style, 'width'),
            height: pixels(attributes.height) ?? styleLength(attributes.style, 'height'),
            line,
          };
          if (!hidden) {
            images.push(image);
            if (image.alt.trim() !== '') {
              alt.add(image.alt, line);
              alt.breakText();
              const around = openLink();
              if (around) around.text += ` ${image.alt}`;
            }
          }
        }
        stack.push({ name, hidden, link });
      },
      ontext(text) {
        if (hiddenNow()) return;
        visible.add(text, lineAt(parser.startIndex));
        const link = openLink();
        if (link) link.text += text;
      },
      onclosetag(name) {
        // htmlparser2 reports every close, implied ones included, so the stack stays balanced.
        for (let i = stack.length - 1; i >= 0; i -= 1) {
          if (stack[i]!.name === name) {
            stack.length = i;
            break;
          }
        }
        if (BLOCK.has(name)) visible.breakText();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  for (const link of links) link.text = link.text.replace(/\s+/g, ' ').trim();
  return { visibleText: visible.result(), altText: alt.result(), links, images, activeElements };
}

/** The line (1-based) of an offset in located text, or null when it has none. */
export function lineAtOffset(located: LocatedText, offset: number): number | null {
  let low = 0;
  let high = located.pieces.length - 1;
  let found: number | null = null;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (located.pieces[middle]!.offset <= offset) {
      found = located.pieces[middle]!.line;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** Plain text located line by line (a text/plain part). */
export function locatePlainText(text: string): LocatedText {
  const pieces: LocatedText['pieces'] = [];
  let offset = 0;
  let line = 1;
  for (const piece of text.split('\n')) {
    pieces.push({ offset, line });
    offset += piece.length + 1;
    line += 1;
  }
  return { text, pieces };
}

class TextBuilder {
  private text = '';
  private readonly pieces: LocatedText['pieces'] = [];

  add(text: string, line: number): void {
    const clean = text.replace(/(?:[\s\u00a0\u200b-\u200d\u2060\ufeff]|\u034f)+/g, ' ');
    if (clean.trim() === '') {
      if (clean !== '' && this.text !== '' && !this.text.endsWith(' ') && !this.text.endsWith('\n')) this.text += ' ';
      return;
    }
    this.pieces.push({ offset: this.text.length, line });
    this.text += clean;
  }

  breakText(): void {
    if (this.text !== '' && !this.text.endsWith('\n')) this.text = `${this.text.trimEnd()}\n`;
  }

  result(): LocatedText {
    return { text: this.text.trim() === '' ? '' : this.text, pieces: this.pieces };
  }
}

/** Hidden by attribute or inline style: hidden, display:none, visibility:hidden, mso-hide:all, zero size text. */
function isHidden(attributes: Record<string, string>): boolean {
  if (attributes.hidden !== undefined) return true;
  const style = attributes.style;
  if (!style) return false;
  for (const [property, value] of declarations(style)) {
    if (property === 'display' && value === 'none') return true;
    if (property === 'visibility' && value === 'hidden') return true;
    if (property === 'mso-hide' && value === 'all') return true;
    if (property === 'font-size' && /^0(?:\.0+)?(?:px|pt|em|rem|%)?$/.test(value)) return true;
    if ((property === 'max-height' || property === 'height') && /^0(?:px)?$/.test(value) && style.includes('overflow')) return true;
    if (property === 'opacity' && /^0(?:\.0+)?$/.test(value)) return true;
  }
  return false;
}

/** The declarations of an inline CSS `style` attribute, lower-cased, `!important` dropped. */
function declarations(style: string): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon === -1) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration
      .slice(colon + 1)
      .replace(/!important/i, '')
      .trim()
      .toLowerCase();
    result.push([property, value]);
  }
  return result;
}

function pixels(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^\s*(\d{1,5})(?:\.\d+)?\s*(?:px)?\s*$/i.exec(value);
  return match ? Number(match[1]) : null;
}

function styleLength(style: string | undefined, property: string): number | null {
  if (!style) return null;
  for (const [name, value] of declarations(style)) if (name === property) return pixels(value);
  return null;
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], index: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= index) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}
