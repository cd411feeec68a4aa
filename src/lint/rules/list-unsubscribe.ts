import { headerValue } from '../message.js';
import { headerWhere, type LintRule } from '../view.js';

/** The URIs of a List-Unsubscribe header: `<mailto:...>, <https://...>`. */
export function unsubscribeUris(value: string): string[] {
  const uris: string[] = [];
  let start = value.indexOf('<');
  while (start !== -1) {
    const end = value.indexOf('>', start);
    if (end === -1) break;
    uris.push(value.slice(start + 1, end).replace(/\s+/g, ''));
    start = value.indexOf('<', end);
  }
  return uris;
}

/**
 * Since February 2024 Gmail and Yahoo require bulk senders to offer one-click unsubscribe
 * (RFC 8058): an https URI in List-Unsubscribe and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
 */
export const listUnsubscribe: LintRule = {
  id: 'list-unsubscribe',
  summary: 'no List-Unsubscribe, or no RFC 8058 one-click (List-Unsubscribe-Post with an https URI); an error for bulk mail',
  check(view) {
    if (view.message.kind === 'template') {
      return [
        {
          severity: 'info',
          where: { area: 'header', name: 'List-Unsubscribe' },
          message: 'a template has no headers: the List-Unsubscribe header and one-click unsubscribe must come from your ESP',
          fix: 'Check that your ESP adds List-Unsubscribe with an https URI and List-Unsubscribe-Post: List-Unsubscribe=One-Click; lint a test copy (.eml) to be sure.',
        },
      ];
    }
    const severity = view.bulk ? 'error' : 'warning';
    const why = view.bulk
      ? 'Gmail and Yahoo require one-click unsubscribe from bulk senders'
      : 'Gmail and Yahoo require it of bulk senders, and it keeps complaints down';
    const header = headerValue(view.message, 'list-unsubscribe');
    if (header === null) {
      return [
        {
          severity,
          where: { area: 'header', name: 'List-Unsubscribe' },
          message: `there is no List-Unsubscribe header; ${why}`,
          fix: 'Add List-Unsubscribe: <https://your.domain/unsubscribe/TOKEN> and List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058).',
        },
      ];
    }
    const https = unsubscribeUris(header).filter((uri) => /^https:\/\//i.test(uri));
    const post = (headerValue(view.message, 'list-unsubscribe-post') ?? '').replace(/\s+/g, '');
    const oneClick = post.toLowerCase() === 'list-unsubscribe=one-click';
    if (https.length > 0 && oneClick) return [];
    const missing = https.length === 0 ? 'has no https URI' : 'has no List-Unsubscribe-Post: List-Unsubscribe=One-Click';
    return [
      {
        severity,
        where: headerWhere(view, https.length === 0 || post === '' ? 'list-unsubscribe' : 'list-unsubscribe-post'),
        message: `List-Unsubscribe ${missing}, so it is not one-click (RFC 8058); ${why}`,
        fix: 'Give an https URI that unsubscribes on a POST, and add List-Unsubscribe-Post: List-Unsubscribe=One-Click.',
        evidence: header,
      },
    ];
  },
};
