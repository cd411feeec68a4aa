import { bodyWhere, type LintRule } from '../view.js';

/** An image smaller than this on both sides is a spacer or a tracking pixel, not content. */
const TINY = 3;
const BIG_SIDE = 300;

function words(text: string): number {
  return text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0).length;
}

/** Spam filters cannot read images; mail that is mostly pictures looks like image spam. */
export const imageOnly: LintRule = {
  id: 'image-only',
  summary: 'images with little or no visible text (also one big image and a few words)',
  check(view) {
    const { imageOnlyMinWords, bigImageMinWords } = view.thresholds;
    const text = view.bodies.find((body) => body.area === 'text/html')?.located.text ?? '';
    const visibleWords = words(text);
    if (view.html) {
      const images = view.html.images.filter((image) => !((image.width ?? 99) <= TINY && (image.height ?? 99) <= TINY));
      if (images.length === 0) return [];
      const big = images.find((image) => (image.width ?? 0) >= BIG_SIDE && (image.height ?? 0) >= BIG_SIDE);
      if (visibleWords >= imageOnlyMinWords && !(big && visibleWords < bigImageMinWords)) return [];
      const what =
        big && visibleWords >= imageOnlyMinWords
          ? `one big image (${big.width}x${big.height} px) and only ${visibleWords} words of text`
          : `${images.length} image${images.length === 1 ? '' : 's'} and only ${visibleWords} word${visibleWords === 1 ? '' : 's'} of visible text`;
      return [
        {
          severity: 'warning',
          where: bodyWhere(view, 'text/html', (big ?? images[0]!).line),
          message: `the HTML shows ${what}; filters cannot read images and score image-only mail as spam, and readers who block images see nothing`,
          fix: 'Put the message in HTML text and keep images as illustrations (with alt texts); aim for more text than images.',
        },
      ];
    }
    // No HTML: an image attachment with (almost) no text is the same thing.
    const pictures = view.message.attachments.filter((attachment) => attachment.mimeType.startsWith('image/'));
    const plainWords = words(view.message.text ?? '');
    if (pictures.length === 0 || plainWords >= imageOnlyMinWords) return [];
    return [
      {
        severity: 'warning',
        where: { area: 'attachment', name: pictures[0]!.filename ?? pictures[0]!.mimeType },
        message: `the message is ${pictures.length} image attachment${pictures.length === 1 ? '' : 's'} and ${plainWords} word${plainWords === 1 ? '' : 's'} of text; filters score image-only mail as spam`,
        fix: 'Write the message as text; attach images only to illustrate it.',
      },
    ];
  },
};
