/**
 * Mailchimp's export of cleaned contacts: addresses Mailchimp already removed after hard bounces
 * (or repeated soft ones). The export says no reason; every row is a suppression by the ESP.
 */
import type { FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { foldColumnName, sniffCsvHeader } from './fields/csv-records.js';
import { fieldText, readExportRows, recordItem, verdict } from './fields/esp-fields.js';
import { toIsoUtc } from './fields/time.js';

const EMAIL_COLUMNS = ['emailaddress', 'email'];
const CLEAN_COLUMNS = new Set(['cleantime', 'cleancampaigntitle', 'cleancampaignid']);

function detectMailchimp(sample: string): number {
  const header = sniffCsvHeader(sample);
  if (header === null) return 0;
  const names = header.columns.map(foldColumnName);
  const hasEmail = names.some((name) => EMAIL_COLUMNS.includes(name));
  return hasEmail && names.some((name) => CLEAN_COLUMNS.has(name)) ? 0.95 : 0;
}

/** `removed by Mailchimp (cleaned) in campaign "Spring sale"`: the detail a person will read. */
function cleanedDiagnostic(campaign: string | null): string {
  const title = campaign?.replace(/\s+/g, ' ').slice(0, 200);
  return title ? `removed by Mailchimp (cleaned) in campaign "${title}"` : 'removed by Mailchimp (cleaned)';
}

async function* mailchimpItems(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
  for await (const row of readExportRows(lines, EMAIL_COLUMNS, 'row without an email address')) {
    if (row.kind !== 'row') {
      yield row;
      continue;
    }
    const campaignId = fieldText(row.field('cleancampaignid'));
    yield recordItem({
      ...verdict('suppressed', 'hard'),
      recipient: row.recipient,
      action: 'failed',
      diagnostic: cleanedDiagnostic(fieldText(row.field('cleancampaigntitle'))),
      at: toIsoUtc(row.field('cleantime')),
      // The campaign is the message: one event per (address, campaign).
      messageKey: campaignId,
      source: `${context.file}:${row.line}`,
    });
  }
}

export const mailchimpFormat: FormatParser = {
  name: 'mailchimp',
  description: 'Mailchimp cleaned-contacts CSV export (addresses Mailchimp already removed)',
  detect: (sample) => detectMailchimp(sample),
  detectCeiling: 0.95,
  parse: (lines, context) => mailchimpItems(lines, context),
};
