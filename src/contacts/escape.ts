/**
 * Text that hygiene adds to a CSV and that may come from outside (a remote server's diagnostic,
 * an address as typed) is escaped against spreadsheet formula injection: a leading `= + - @`,
 * tab or CR makes spreadsheets evaluate the cell, so it gets a leading `'`.
 */
export function escapeFormula(text: string): string {
  if (text.length === 0) return text;
  const first = text.charCodeAt(0);
  // = + - @ TAB CR
  if (first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13) return `'${text}`;
  return text;
}
