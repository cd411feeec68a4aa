import { bodyWhere, type LintRule } from '../view.js';

export const noTextPart: LintRule = {
  id: 'no-text-part',
  summary: 'HTML without a text/plain alternative',
  check(view) {
    if (view.html === null) return [];
    if (view.message.text !== null && view.message.text.trim() !== '') return [];
    return [
      {
        severity: 'warning',
        where: bodyWhere(view, 'text/html', null),
        message:
          'the message has HTML but no text/plain alternative; spam filters score HTML-only mail higher and some readers cannot show it',
        fix:
          view.message.kind === 'template'
            ? 'Give the text version with --text, and have your ESP send both (multipart/alternative).'
            : 'Send multipart/alternative with a text/plain part that says the same as the HTML.',
      },
    ];
  },
};
