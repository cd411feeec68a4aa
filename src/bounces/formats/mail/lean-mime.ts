/**
 * A lean MIME reader for bounce messages, returning the same `Email` shape postal-mime gives
 * message.ts (headers, from/to/subject/date/..., text or html, and the attachments a bounce
 * reader looks at), or `null` when the message has a structure it does not handle, in which case
 * the caller parses it with postal-mime.
 *
 * Why hand-written although postal-mime is a good library: classifying a bounce mailbox spent
 * most of its time in postal-mime (about a third of the whole run in `Blob` copies, one per MIME
 * part, plus the garbage they leave), while a bounce needs only a few of the parts decoded.
 * This reader follows postal-mime's rules line for line (boundary matching, header unfolding,
 * transfer decodings, charset decoders, how text parts are joined) so that both give identical
 * records: test/bounces/lean-mime.test.ts compares them over every corpus message and fuzzes the
 * decoders. Anything outside those rules (comments or RFC 2231 continuations in Content-Type,
 * format=flowed, unusual charsets, HTML-only parts mixed with text, deep nesting) is left to
 * postal-mime, as is the RFC 2047 decoding of headers and the address parsing (its own exported
 * functions).
 */
import { addressParser, decodeWords } from 'postal-mime';
import type { Address, Attachment, Email, Header } from 'postal-mime';
import { DSN_TYPES, FEEDBACK_TYPES, ORIGINAL_TYPES } from './part-types.js';
import { simpleAddressList } from './simple-address.js';

/** The attachments message.ts reads; others (images, documents) are not decoded at all. */
const WANTED_ATTACHMENTS: ReadonlySet<string> = new Set([...DSN_TYPES, ...FEEDBACK_TYPES, ...ORIGINAL_TYPES]);

/**
 * As message.ts sorts attachments: by the type's first word, so that a broken Content-Type
 * (`text/plain   charset=...`, no semicolon) still counts as text.
 */
function isWantedAttachment(type: string): boolean {
  const first = type.split(/[\s;]/, 1)[0] ?? '';
  return first === 'text/plain' || WANTED_ATTACHMENTS.has(first);
}

/**
 * The UTF-8 and one-byte charset labels decoded here: their decoders carry no state from one line
 * to the next, so decoding the lines and adding the last LF after gives what decoding the lines
 * with it gives. (ISO-2022-JP carries state: an LF inside a two-byte run is an error that
 * swallows it.)
 */
const LINE_STATELESS_CHARSETS: ReadonlySet<string> = new Set([
  'utf-8',
  'utf8',
  'us-ascii',
  'ascii',
  'iso-8859-1',
  'latin1',
  'windows-1252',
  'iso-8859-2',
  'iso-8859-15',
  'windows-1250',
  'windows-1251',
  'koi8-r',
  'iso-8859-4',
  'iso-8859-5',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-9',
  'iso-8859-13',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-874',
  'koi8-u',
  'cp1252',
]);
/** The CJK multi-byte charset labels decoded here. */
const MULTI_BYTE_CHARSETS = ['iso-2022-jp', 'shift_jis', 'euc-jp', 'euc-kr', 'gb2312', 'gbk', 'big5', 'gb18030'];
/**
 * Charset labels decoded here, each one postal-mime hands to `TextDecoder` as written. Any other
 * label goes to postal-mime, whose alias tables decide what it means.
 */
const KNOWN_CHARSETS: ReadonlySet<string> = new Set([...LINE_STATELESS_CHARSETS, ...MULTI_BYTE_CHARSETS]);
/**
 * Labels no runtime decodes (UTF-7, which Exchange writes on its reports): postal-mime finds
 * neither them nor their normalized spelling among the WHATWG labels, nor in its alias tables,
 * and falls back to windows-1252, one-shot like every other decode.
 */
const WINDOWS_1252_FALLBACKS = new Set(['unicode-1-1-utf-7', 'utf-7']);
const decoders = new Map<string, InstanceType<typeof TextDecoder>>();
/** postal-mime's limit; deeper messages are left to it (it reports them as errors). */
const MAX_DEPTH = 30;

interface StructuredHeader {
  value: string;
  params: Record<string, string>;
}

interface Part {
  parent: Part | null;
  depth: number;
  inHeader: boolean;
  /** The header block's bytes so far (start of its first line, end of its last), -1 before any. */
  headerFrom: number;
  headerTo: number;
  headers: Header[];
  contentType: StructuredHeader;
  /** The multipart subtype, or false for a leaf. */
  multipart: string | false;
  disposition: string;
  encoding: 'base64' | 'quoted-printable' | 'plain';
  /** Body line ranges (start, end) in the input, line ends excluded. */
  lines: number[];
  children: Part[];
  finished: boolean;
}

/** Thrown inside the walk when postal-mime must read the message instead. */
class NotHandled extends Error {}

interface Boundary {
  value: Buffer;
  part: Part;
}

/**
 * Reads `input` (LF or CRLF lines) the way `PostalMime.parse(input, { forceRfc822Attachments:
 * true, attachmentEncoding: 'arraybuffer' })` does, or returns null to ask for postal-mime.
 */
export function parseLeanMime(input: Uint8Array): Email | null {
  try {
    return parse(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  } catch (error) {
    if (error instanceof NotHandled) return null;
    throw error;
  }
}

function newPart(parent: Part | null): Part {
  const defaultType = parent?.multipart === 'digest' ? 'message/rfc822' : 'text/plain';
  const depth = parent ? parent.depth + 1 : 0;
  if (depth > MAX_DEPTH) throw new NotHandled();
  const part: Part = {
    parent,
    depth,
    inHeader: true,
    headerFrom: -1,
    headerTo: -1,
    headers: [],
    contentType: { value: defaultType, params: {} },
    multipart: false,
    disposition: '',
    encoding: 'plain',
    lines: [],
    children: [],
    finished: false,
  };
  parent?.children.push(part);
  return part;
}

function parse(bytes: Buffer): Email {
  const root = newPart(null);
  let current = root;
  const boundaries: Boundary[] = [];
  const length = bytes.length;
  let position = 0;
  while (position < length) {
    const start = position;
    let newline = bytes.indexOf(0x0a, position);
    if (newline === -1) newline = length;
    position = newline + 1;
    // postal-mime's line: up to the last byte that is neither CR nor LF.
    let end = newline;
    while (end > start && bytes[end - 1] === 0x0d) end--;
    if (end - start > 2 && bytes[start] === 0x2d && bytes[start + 1] === 0x2d && boundaries.length > 0) {
      const matched = matchBoundary(bytes, start, end, boundaries);
      if (matched) {
        if (matched.terminator) {
          finish(matched.boundary.part, boundaries, bytes);
          current = matched.boundary.part.parent ?? root;
        } else {
          for (const child of matched.boundary.part.children) finish(child, boundaries, bytes);
          current = newPart(matched.boundary.part);
        }
        continue;
      }
    }
    feed(current, bytes, start, end, boundaries);
  }
  finish(root, boundaries, bytes);
  return buildMessage(root, bytes);
}

function matchBoundary(
  bytes: Buffer,
  start: number,
  end: number,
  boundaries: Boundary[],
): { boundary: Boundary; terminator: boolean } | null {
  const lineLength = end - start;
  for (let i = boundaries.length - 1; i >= 0; i--) {
    const boundary = boundaries[i]!;
    const size = boundary.value.length;
    if (lineLength < size + 2) continue;
    if (bytes.compare(boundary.value, 0, size, start + 2, start + 2 + size) !== 0) continue;
    let boundaryEnd = size + 2;
    let terminator = false;
    if (lineLength >= size + 4 && bytes[start + size + 2] === 0x2d && bytes[start + size + 3] === 0x2d) {
      terminator = true;
      boundaryEnd = size + 4;
    }
    let trailingOk = true;
    for (let j = start + boundaryEnd; j < end; j++) {
      if (bytes[j] !== 0x20 && bytes[j] !== 0x09) {
        trailingOk = false;
        break;
      }
    }
    if (trailingOk) return { boundary, terminator };
  }
  return null;
}

function feed(part: Part, bytes: Buffer, start: number, end: number, boundaries: Boundary[]): void {
  if (part.inHeader) {
    if (start === end) {
      processHeaders(part, boundaries, bytes);
      return;
    }
    // The lines of a header block follow each other: it is decoded once, when it ends.
    if (part.headerFrom === -1) part.headerFrom = start;
    part.headerTo = end;
    return;
  }
  if (part.multipart === false) part.lines.push(start, end);
}

function finish(part: Part, boundaries: Boundary[], bytes: Buffer): void {
  if (part.finished) return;
  if (part.inHeader) processHeaders(part, boundaries, bytes);
  for (let i = boundaries.length - 1; i >= 0; i--) {
    if (boundaries[i]!.part === part) {
      boundaries.splice(i, 1);
      break;
    }
  }
  for (const child of part.children) finish(child, boundaries, bytes);
  part.finished = true;
}

/** `text` without the spaces and tabs at either end (`/^[ \t]+|[ \t]+$/g` replaced, without a regex). */
function trimWsp(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isWsp(text.charCodeAt(start))) start++;
  while (end > start && isWsp(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isWsp(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Line breaks (runs of CR and LF) in a header value as one space each. */
function withoutLineBreaks(value: string): string {
  return value.includes('\r') || value.includes('\n') ? value.replace(/[\r\n]+/g, ' ') : value;
}

/**
 * No header lines, as an array of the kind split gives (never changed): meeting a `[]` literal's
 * kind made V8 compile processHeaders again.
 */
const NO_HEADER_LINES: string[] = ''.split('\n').slice(1);

/**
 * The lines of a header block, each as decoding its own bytes gives it: line breaks are ASCII,
 * so decoding the block at once and cutting it at each LF (dropping the CRs before it, which no
 * line keeps) gives the same strings.
 */
function headerLinesOf(part: Part, bytes: Buffer): string[] {
  if (part.headerFrom === -1) return NO_HEADER_LINES;
  const lines = bytes.toString('utf8', part.headerFrom, part.headerTo).split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!;
    let end = line.length;
    while (end > 0 && line.charCodeAt(end - 1) === 0x0d) end--;
    if (end < line.length) lines[i] = line.slice(0, end);
  }
  return lines;
}

function processHeaders(part: Part, boundaries: Boundary[], bytes: Buffer): void {
  part.inHeader = false;
  const folded: string[] = [];
  const lines = headerLinesOf(part, bytes);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const first = line.charCodeAt(0);
    if (folded.length > 0 && (first === 0x20 || first === 0x09)) folded[folded.length - 1] += line;
    else folded.push(line);
  }
  let contentType: string | null = null;
  let transferEncoding: string | null = null;
  let disposition: string | null = null;
  for (const line of folded) {
    const separator = line.indexOf(':');
    const originalKey = trimWsp(separator < 0 ? line : line.slice(0, separator));
    const value = separator < 0 ? '' : trimWsp(withoutLineBreaks(line.slice(separator + 1)));
    const key = originalKey.toLowerCase();
    part.headers.push({ key, originalKey, value });
    if (key === 'content-type') contentType ??= value;
    else if (key === 'content-transfer-encoding') transferEncoding ??= value;
    else if (key === 'content-disposition') disposition ??= value;
  }
  if (contentType !== null) part.contentType = parseStructured(contentType);
  const type = part.contentType.value;
  part.multipart = /^multipart\//i.test(type) ? type.slice(type.indexOf('/') + 1) : false;
  const boundary = part.contentType.params.boundary;
  if (part.multipart && boundary) boundaries.push({ value: Buffer.from(boundary, 'utf8'), part });
  part.disposition = disposition === null ? '' : parseStructured(disposition).value;
  if (transferEncoding !== null) {
    if (transferEncoding.includes('(')) throw new NotHandled();
    const encoding = (/[\w-]+/.exec(transferEncoding.toLowerCase()) ?? [''])[0];
    part.encoding = /base64/i.test(encoding) ? 'base64' : /quoted-printable/i.test(encoding) ? 'quoted-printable' : 'plain';
  }
}

/**
 * `type/subtype; name=value; name="quoted value"`, as postal-mime reads it. Comments,
 * backslash escapes and RFC 2231 continuations are postal-mime's to read.
 */
function parseStructured(text: string): StructuredHeader {
  // A parenthesis inside quotes (`boundary="Boundary_(ID_x)"`) is no comment.
  if (text.includes('\\') || (text.includes('(') && text.replace(/"[^"]*"/g, '').includes('('))) throw new NotHandled();
  const result: StructuredHeader = { value: '', params: {} };
  let key: string | false = false;
  let value = '';
  let inKey = false;
  let pendingSpace = '';
  let quoteClosed = false;
  let quoted = false;
  const take = (): string => {
    const taken = value;
    value = '';
    pendingSpace = '';
    quoteClosed = false;
    return taken;
  };
  const storeParam = (name: string, taken: string): void => {
    if (name.includes('*')) throw new NotHandled();
    if (!Object.prototype.hasOwnProperty.call(result.params, name)) result.params[name] = taken;
  };
  const storeValue = (): void => {
    const taken = take();
    if (key === false) result.value = taken;
    else storeParam(key, taken);
  };
  const storeEmptyKey = (): void => {
    const name = take().trim();
    if (name) storeParam(name.toLowerCase(), '');
  };
  const add = (chr: string): void => {
    if (value.length) value += pendingSpace;
    pendingSpace = '';
    value += chr;
  };
  for (let i = 0; i < text.length; i++) {
    const chr = text.charAt(i);
    if (inKey) {
      if (chr === '=') {
        key = take().trim().toLowerCase();
        inKey = false;
      } else if (chr === ';') {
        storeEmptyKey();
      } else {
        value += chr;
      }
      continue;
    }
    if (quoted && chr === '"') {
      quoted = false;
      quoteClosed = true;
    } else if (!quoted && chr === '"') {
      quoted = true;
      if (value.length) value += pendingSpace;
      pendingSpace = '';
    } else if (!quoted && chr === ';') {
      storeValue();
      inKey = true;
    } else if (!quoted && (chr === ' ' || chr === '\t')) {
      pendingSpace += chr;
    } else if (!quoteClosed) {
      add(chr);
    }
  }
  if (inKey) storeEmptyKey();
  else storeValue();
  if (result.value) result.value = result.value.toLowerCase();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Bodies

/** The decoded bytes of a leaf part, as postal-mime's content decoders give them. */
function decodeBody(part: Part, bytes: Buffer): Buffer {
  const lines = part.lines;
  if (part.encoding === 'base64') {
    // Line ends are dropped with everything else outside the alphabet: runs of lines are read at once.
    let text = '';
    for (let i = 0; i < lines.length;) {
      const end = runEnd(bytes, lines, i, false);
      text += bytes.toString('latin1', lines[i], lines[end + 1]);
      i = end + 2;
    }
    return decodeBase64Units(text.replace(/[^a-zA-Z0-9+/=]+/g, ''));
  }
  if (part.encoding === 'quoted-printable') return decodeQuotedPrintableLines(bytes, lines);
  let total = 0;
  for (let i = 0; i < lines.length; i += 2) total += lines[i + 1]! - lines[i]! + 1;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < lines.length;) {
    // Lines one LF apart are copied as they stand, LFs included: most parts in one copy.
    const end = runEnd(bytes, lines, i, true);
    at += bytes.copy(out, at, lines[i], lines[end + 1]);
    out[at++] = 0x0a;
    i = end + 2;
  }
  return out;
}

/**
 * The index (into `lines`, start/end pairs) of the last line of the run that starts at line
 * index `from`: lines whose gap to the next is one LF (`lfOnly`), or any CR and LF bytes.
 */
function runEnd(bytes: Buffer, lines: readonly number[], from: number, lfOnly: boolean): number {
  let last = from;
  while (last + 2 < lines.length) {
    const gapStart = lines[last + 1]!;
    const next = lines[last + 2]!;
    if (lfOnly ? next !== gapStart + 1 || bytes[gapStart] !== 0x0a : !onlyLineEnds(bytes, gapStart, next)) break;
    last += 2;
  }
  return last;
}

function onlyLineEnds(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0x0a && bytes[i] !== 0x0d) return false;
  return true;
}

/**
 * Base64 text (only alphabet and `=` left) -> bytes. Like postal-mime, every run between `=`
 * signs is decoded on its own (two messages' worth of base64 glued together stay two), and a
 * lone trailing character, which cannot make a byte, is dropped.
 */
export function decodeBase64Units(text: string): Buffer {
  if (!text.includes('=')) return decodeBase64Unit(text);
  const units = text.split(/=+/).filter((unit) => unit.length > 0);
  return Buffer.concat(units.map(decodeBase64Unit));
}

function decodeBase64Unit(unit: string): Buffer {
  const usable = unit.length % 4 === 1 ? unit.slice(0, -1) : unit;
  return Buffer.from(usable, 'base64');
}

function hexNibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Quoted-printable lines -> bytes: `=XX` escapes, a trailing `=` joins the next line. */
export function decodeQuotedPrintableLines(bytes: Uint8Array, lines: readonly number[]): Buffer {
  let total = 0;
  for (let i = 0; i < lines.length; i += 2) total += lines[i + 1]! - lines[i]! + 1;
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let l = 0; l < lines.length; l += 2) {
    const start = lines[l]!;
    let end = lines[l + 1]!;
    const softBreak = end > start && bytes[end - 1] === 0x3d;
    if (softBreak) end--;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c === 0x3d && i + 2 < end) {
        const high = hexNibble(bytes[i + 1]!);
        const low = hexNibble(bytes[i + 2]!);
        if (high >= 0 && low >= 0) {
          out[at++] = (high << 4) | low;
          i += 2;
          continue;
        }
      }
      out[at++] = c;
    }
    if (!softBreak) out[at++] = 0x0a;
  }
  return out.subarray(0, at);
}

/**
 * The text of a part with no transfer encoding whose lines follow each other one LF apart (so
 * `decodeBody` would copy them as one run and add an LF), decoded from the input in place; null
 * when the part is not of that kind.
 */
function plainRun(part: Part, bytes: Buffer, label: string, decoder: InstanceType<typeof TextDecoder>): string | null {
  const lines = part.lines;
  if (part.encoding !== 'plain' || lines.length === 0 || !LINE_STATELESS_CHARSETS.has(label)) return null;
  if (runEnd(bytes, lines, 0, true) !== lines.length - 2) return null;
  return `${decoder.decode(bytes.subarray(lines[0], lines[lines.length - 1]))}\n`;
}

function textOf(part: Part, bytes: Buffer): string {
  const params = part.contentType.params;
  const charset = (params.charset || 'utf8').trim().toLowerCase();
  const label = WINDOWS_1252_FALLBACKS.has(charset) ? 'windows-1252' : charset;
  if (!KNOWN_CHARSETS.has(label)) throw new NotHandled();
  let decoder = decoders.get(label);
  if (decoder === undefined) {
    decoder = new TextDecoder(label);
    decoders.set(label, decoder);
  }
  const text = plainRun(part, bytes, label, decoder) ?? decoder.decode(decodeBody(part, bytes));
  if (params.format !== undefined && /^flowed$/i.test(params.format)) {
    return decodeFlowedText(text, params.delsp !== undefined && /^yes$/i.test(params.delsp));
  }
  return text;
}

/** RFC 3676 format=flowed text unwrapped, as postal-mime does it. */
export function decodeFlowedText(text: string, delSp: boolean): string {
  const parts: string[] = [];
  let lineStart = 0;
  let lineLength = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.charAt(0) === ' ') line = line.slice(1);
    if (i) {
      const last = parts.length ? parts[parts.length - 1]! : '';
      const isSignature = lineLength === 3 && parts.slice(lineStart).join('') === '-- ';
      if (last.endsWith(' ') && !isSignature) {
        if (delSp) {
          if (last.length > 1) parts[parts.length - 1] = last.slice(0, -1);
          else parts.pop();
          lineLength--;
        }
      } else {
        parts.push('\n');
        lineStart = parts.length;
        lineLength = 0;
      }
    }
    if (line) {
      parts.push(line);
      lineLength += line.length;
    }
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// The message

interface TextEntry {
  plain?: string[];
  html?: string[];
}

function buildMessage(root: Part, bytes: Buffer): Email {
  const textMap = new Map<Part, TextEntry>();
  const attachments: Attachment[] = [];
  let sawPlain = false;
  let sawHtml = false;
  const collect = (part: Part, alternative: Part | null): void => {
    if (part.multipart === false) {
      const type = part.contentType.value;
      if (part.disposition !== 'attachment' && (type === 'text/plain' || type === 'text/html')) {
        const kind = type === 'text/html' ? 'html' : 'plain';
        if (kind === 'html') sawHtml = true;
        else sawPlain = true;
        const key = alternative ?? part;
        const entry = textMap.get(key) ?? {};
        textMap.set(key, entry);
        (entry[kind] ??= []).push(textOf(part, bytes));
      } else if (isWantedAttachment(type)) {
        attachments.push({
          filename: null,
          mimeType: type,
          disposition: (part.disposition || null) as Attachment['disposition'],
          content: decodeBody(part, bytes),
        } as Attachment);
      }
    } else if (part.multipart === 'alternative') {
      alternative = part;
    }
    for (const child of part.children) collect(child, alternative);
  };
  collect(root, null);

  const message = { headers: root.headers.map((header) => ({ ...header })) } as Email;
  let text: string | undefined;
  let html: string | undefined;
  if (sawPlain) {
    const out: string[] = [];
    for (const entry of textMap.values()) {
      // An entry with only HTML would be converted to text by postal-mime's own renderer.
      if (!entry.plain) throw new NotHandled();
      out.push(...entry.plain);
    }
    text = out.join('\n');
    // With no text at all, message.ts would read the HTML, which needs postal-mime's renderer.
    if (!text && sawHtml) throw new NotHandled();
  } else if (sawHtml) {
    const out: string[] = [];
    for (const entry of textMap.values()) out.push(...entry.html!);
    html = out.join('\n');
  }
  setAddressFields(message, root.headers);
  if (html) message.html = html;
  if (text) message.text = text;
  message.attachments = attachments;
  return message;
}

/** postal-mime's address parsing, the common shapes read without its tokenizer. */
function parseAddresses(value: string): Address[] {
  return simpleAddressList(value) ?? addressParser(value);
}

/**
 * The header fields message.ts reads, made as postal-mime makes them (Sender, Cc, Reply-To and
 * Message-ID it does not read, so they are not parsed).
 */
function setAddressFields(message: Email, headers: Header[]): void {
  // The first of each field, found in one pass over the headers.
  let from: Header | undefined;
  let deliveredTo: Header | undefined;
  let returnPath: Header | undefined;
  let subject: Header | undefined;
  let inReplyTo: Header | undefined;
  let date: Header | undefined;
  const toHeaders: Header[] = [];
  for (const header of headers) {
    switch (header.key) {
      case 'from':
        from ??= header;
        break;
      case 'delivered-to':
        deliveredTo ??= header;
        break;
      case 'return-path':
        returnPath ??= header;
        break;
      case 'to':
        toHeaders.push(header);
        break;
      case 'subject':
        subject ??= header;
        break;
      case 'in-reply-to':
        inReplyTo ??= header;
        break;
      case 'date':
        date ??= header;
        break;
    }
  }
  if (from?.value) {
    const addresses = parseAddresses(from.value);
    if (addresses.length) message.from = addresses[0] as Email['from'];
  }
  for (const [header, field] of [
    [deliveredTo, 'deliveredTo'],
    [returnPath, 'returnPath'],
  ] as const) {
    if (header?.value) {
      const addresses = parseAddresses(header.value) as Array<Address & { address?: string }>;
      if (addresses.length && addresses[0]!.address) message[field] = addresses[0]!.address;
    }
  }
  const to: Address[] = [];
  for (const header of toHeaders) if (header.value) to.push(...parseAddresses(header.value));
  if (to.length) message.to = to as Email['to'];
  if (subject?.value) message.subject = decodeWords(subject.value);
  if (inReplyTo?.value) message.inReplyTo = decodeWords(inReplyTo.value);
  if (date) {
    const parsed = new Date(date.value);
    // What postal-mime tests as `toString() === 'Invalid Date'`, without formatting the date in
    // the machine's zone first.
    message.date = Number.isNaN(parsed.getTime()) ? date.value : parsed.toISOString();
  }
}
