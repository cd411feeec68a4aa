/**
 * The message that `hygiene lint` looks at, read from an .eml file (a draft exported from the
 * ESP, or a test copy received in a mailbox) or put together from a template (HTML, optional
 * text, subject, From). MIME is decoded by postal-mime; the raw header block is also kept line by
 * line, because some rules are about the bytes as sent (line lengths, unencoded 8-bit text).
 */
import PostalMime from 'postal-mime';
import type { Address, Email } from 'postal-mime';

export interface HeaderField {
  /** The name as written. */
  name: string;
  /** Lower-case name, for lookups. */
  key: string;
  /** The line of the message file where the field starts (1-based). */
  line: number;
  /** The physical lines of the field (continuation lines included), without line ends. */
  rawLines: Buffer[];
}

export interface AttachmentInfo {
  filename: string | null;
  mimeType: string;
  /** Decoded size in bytes. */
  size: number;
  /** Shown inside the HTML (referenced by Content-ID), as inline images are. */
  related: boolean;
}

export interface Mailbox {
  name: string;
  address: string;
}

export interface LintMessage {
  /** The .eml path, or the template's HTML path. */
  file: string;
  kind: 'eml' | 'template';
  /** The message as it would travel (null for a template): DKIM is verified on these bytes. */
  raw: Buffer | null;
  /** Size as sent: with the transfer encoding (base64 makes attachments a third larger). */
  encodedSize: number;
  /** Header fields as found in the file, in order (empty for a template). */
  fields: HeaderField[];
  /** Decoded header values by lower-case name, duplicates kept in order. */
  headers: Map<string, string[]>;
  subject: string | null;
  /** The mailboxes of the From header (decoded); empty when there is none. */
  from: Mailbox[];
  html: string | null;
  text: string | null;
  /** Where the HTML and text come from when they are files of their own (templates). */
  htmlFile: string | null;
  textFile: string | null;
  attachments: AttachmentInfo[];
}

export class UnreadableMessageError extends Error {}

const POSTAL_OPTIONS = { attachmentEncoding: 'arraybuffer', maxNestingDepth: 64, maxHeadersSize: 2 * 1024 * 1024 } as const;

/** Parses the bytes of an .eml file. Throws UnreadableMessageError when they are not a message. */
export async function readEml(bytes: Buffer, file: string): Promise<LintMessage> {
  const fields = splitHeaderFields(bytes);
  if (fields.length === 0 || !fields.some((field) => KNOWN_HEADERS.has(field.key))) {
    throw new UnreadableMessageError('it has no header block (From:, Subject:, ...) at its start');
  }
  let email: Email;
  try {
    email = await PostalMime.parse(bytes, POSTAL_OPTIONS);
  } catch (error) {
    throw new UnreadableMessageError(`its MIME structure cannot be decoded (${(error as Error).message})`);
  }
  const headers = new Map<string, string[]>();
  for (const header of email.headers) {
    const list = headers.get(header.key) ?? [];
    list.push(header.value);
    headers.set(header.key, list);
  }
  return {
    file,
    kind: 'eml',
    raw: bytes,
    encodedSize: bytes.length,
    fields,
    headers,
    subject: email.subject ?? null,
    from: mailboxes(email.from),
    html: email.html ?? null,
    text: email.text ?? null,
    htmlFile: null,
    textFile: null,
    attachments: email.attachments.map((attachment) => ({
      filename: attachment.filename,
      mimeType: attachment.mimeType,
      size: byteLength(attachment.content),
      related: attachment.related === true,
    })),
  };
}

export interface TemplateInput {
  htmlFile: string;
  html: string;
  textFile: string | null;
  text: string | null;
  subject: string;
  from: string;
}

/** A template as the ESP would send it: only the parts given, no headers of its own. */
export async function templateMessage(input: TemplateInput): Promise<LintMessage> {
  // The ESP encodes each part; base64 (4/3, plus line ends every 76 characters) is the larger
  // of the usual encodings, so the estimate errs on the safe side.
  const encoded = (text: string | null) => (text === null ? 0 : Math.ceil((Buffer.byteLength(text) * 4) / 3 / 76) * 78);
  const headerBlock = `From: ${input.from}\r\nSubject: ${input.subject}\r\n\r\n`;
  const parsed = await PostalMime.parse(headerBlock);
  const headers = new Map<string, string[]>([
    ['from', [input.from]],
    ['subject', [input.subject]],
  ]);
  return {
    file: input.htmlFile,
    kind: 'template',
    raw: null,
    encodedSize: Buffer.byteLength(headerBlock) + encoded(input.html) + encoded(input.text) + 1024,
    fields: [],
    headers,
    subject: input.subject,
    from: mailboxes(parsed.from),
    html: input.html,
    text: input.text,
    htmlFile: input.htmlFile,
    textFile: input.textFile,
    attachments: [],
  };
}

/** The first value of a header, or null. */
export function headerValue(message: LintMessage, key: string): string | null {
  return message.headers.get(key)?.[0] ?? null;
}

/** The first field with this name as found in the file (for its line). */
export function fieldOf(message: LintMessage, key: string): HeaderField | undefined {
  return message.fields.find((field) => field.key === key);
}

const KNOWN_HEADERS = new Set([
  'from',
  'to',
  'date',
  'subject',
  'received',
  'message-id',
  'content-type',
  'mime-version',
  'return-path',
  'dkim-signature',
]);

/**
 * The header block of a message, field by field, with the raw bytes of each physical line. The
 * block ends at the first empty line; a line starting with a space or tab continues a field.
 */
export function splitHeaderFields(bytes: Buffer): HeaderField[] {
  const fields: HeaderField[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    let content = bytes.subarray(start, end);
    if (content.length > 0 && content[content.length - 1] === 0x0d) content = content.subarray(0, content.length - 1);
    lineNumber += 1;
    start = end + 1;
    if (content.length === 0) break;
    if (lineNumber === 1 && content.subarray(0, 5).toString('latin1') === 'From ') continue; // mbox separator
    const first = content[0];
    if ((first === 0x20 || first === 0x09) && fields.length > 0) {
      fields[fields.length - 1]!.rawLines.push(content);
      continue;
    }
    const colon = content.indexOf(0x3a);
    if (colon <= 0) {
      // Not a header line: the headers have ended without the empty line (a broken message).
      if (fields.length === 0) return [];
      break;
    }
    const name = content.subarray(0, colon).toString('latin1').trim();
    fields.push({ name, key: name.toLowerCase(), line: lineNumber, rawLines: [content] });
  }
  return fields;
}

function mailboxes(from: Address | undefined): Mailbox[] {
  if (!from) return [];
  if (from.group) return from.group.map((member) => ({ name: member.name, address: member.address }));
  return [{ name: from.name, address: from.address ?? '' }];
}

function byteLength(content: ArrayBuffer | Uint8Array | string): number {
  if (typeof content === 'string') return Buffer.byteLength(content);
  return content.byteLength;
}
