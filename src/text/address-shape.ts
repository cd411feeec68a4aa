/** Valid-looking, not validated: one @, a dotted domain, no spaces or list punctuation. */
export function looksLikeAddress(text: string): boolean {
  if (text.length < 5 || text.length > 320) return false;
  const at = text.indexOf('@');
  if (at < 1 || at !== text.lastIndexOf('@')) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (local.length > 64 || domain.length > 255) return false;
  if (domain.startsWith('.') || domain.endsWith('.') || !domain.includes('.') || domain.includes('..')) return false;
  return !/[\s<>,;"()[\]\\]/.test(text);
}
