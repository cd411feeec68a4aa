/**
 * Files that are handed to hygiene as a contact list but are another kind of text: a JSON export,
 * a vCard address book, a web page saved in place of the download. Read as CSV they would give
 * confident wrong answers (a JSON array as one "invalid address", a vCard as "no email column"),
 * so they are named for what they are, with what to export instead.
 */

export interface OtherFileKind {
  what: string;
  hint: string;
}

/** What the start of a decoded contact file shows it to be when it is not CSV, or null. */
export function otherFileKind(text: string): OtherFileKind | null {
  const start = text.slice(0, 4096).trimStart();
  if (/^\[\s*\{\s*"/.test(start) || /^\{\s*"/.test(start)) {
    return {
      what: 'JSON (records in braces), not a CSV contact list',
      hint: "Export the contacts as CSV (a header row, then one row per contact), or convert the JSON, e.g. jq -r '.[] | [.email] | @csv'.",
    };
  }
  if (/^BEGIN:VCARD\b/i.test(start)) {
    return {
      what: 'a vCard address book (.vcf), not a CSV contact list',
      hint: 'Export the contacts as CSV instead (Google Contacts: Export > Google CSV; Outlook: Export > CSV); Apple Contacts exports only vCard, which a converter must turn into CSV.',
    };
  }
  if (/^<(?:!doctype\s+html|html\b|\?xml\b)/i.test(start)) {
    return {
      what: 'an HTML or XML document, not a CSV contact list',
      hint: 'A web page may have been saved in place of the export: download the CSV file again.',
    };
  }
  return null;
}
