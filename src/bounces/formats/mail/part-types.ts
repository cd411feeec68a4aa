/** The MIME types of the parts a bounce is read from: message.ts reads them, lean-mime.ts decodes only them. */
export const DSN_TYPES: ReadonlySet<string> = new Set(['message/delivery-status', 'message/global-delivery-status']);
export const FEEDBACK_TYPES: ReadonlySet<string> = new Set(['message/feedback-report']);
/** The returned message, whole or its headers only. */
export const ORIGINAL_TYPES: ReadonlySet<string> = new Set([
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'text/rfc822-header',
  'message/rfc822-headers',
  'message/global-headers',
]);
