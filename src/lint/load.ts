/**
 * Reads what `hygiene lint` is given: .eml files, or a template (HTML file, optional text file,
 * subject and From). A file that cannot be read or is not a message is a HygieneError (exit 2)
 * naming the file and what to do.
 */
import { readFile } from 'node:fs/promises';
import { HygieneError } from '../errors.js';
import { readEml, templateMessage, UnreadableMessageError, type LintMessage } from './message.js';

export async function loadEml(file: string): Promise<LintMessage> {
  const bytes = await readInput(file, 'message');
  try {
    return await readEml(bytes, file);
  } catch (error) {
    if (error instanceof UnreadableMessageError) {
      throw new HygieneError({
        code: 'LINT_NOT_A_MESSAGE',
        message: `${file}: not a mail message: ${error.message}`,
        hint: 'Give an .eml file (a message saved from a mail client or exported from your ESP), or a template with --html.',
        file,
      });
    }
    throw error;
  }
}

export interface TemplateFiles {
  html: string;
  text: string | null;
  subject: string;
  from: string;
}

export async function loadTemplate(files: TemplateFiles): Promise<LintMessage> {
  const html = decodeText(await readInput(files.html, 'HTML template'), files.html);
  const text = files.text === null ? null : decodeText(await readInput(files.text, 'text template'), files.text);
  return templateMessage({ htmlFile: files.html, html, textFile: files.text, text, subject: files.subject, from: files.from });
}

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HygieneError({
      code: code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_NOT_FOUND',
      message: code === 'ENOENT' ? `${file}: ${what} not found` : `${file}: cannot read the ${what} (${code ?? (error as Error).message})`,
      hint: code === 'EISDIR' ? 'Give a file, not a directory.' : 'Check the path and that the file is readable.',
      file,
    });
  }
}

function decodeText(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new HygieneError({
      code: 'INPUT_ENCODING',
      message: `${file}: the template is not UTF-8 text`,
      hint: 'Save the template as UTF-8.',
      file,
    });
  }
}
