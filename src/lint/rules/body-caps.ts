import { countCapitals } from '../caps.js';
import { bodyWhere, type LintRule } from '../view.js';

/** Words of 4+ letters only: short acronyms (USA, FAQ, PDF) are normal in any text. */
const MINIMUM_LETTERS = 4;
const MINIMUM_CAPITALISED = 5;

export const bodyCaps: LintRule = {
  id: 'body-caps',
  summary: 'a body with a high share of words in capitals',
  check(view) {
    for (const body of view.bodies) {
      const count = countCapitals(body.located.text, MINIMUM_LETTERS);
      if (count.capitals < MINIMUM_CAPITALISED || count.capitals < count.words * view.thresholds.bodyCapsShare) continue;
      const share = Math.round((count.capitals * 100) / count.words);
      return [
        {
          severity: 'warning',
          where: bodyWhere(view, body.area, null),
          message: `${share}% of the words in the ${body.area} part are in capitals (${count.capitals} of ${count.words}, e.g. "${count.examples.slice(0, 3).join('", "')}"); filters score shouting text as spam`,
          fix: 'Write the text in sentence case; use bold or headings for emphasis instead of capitals.',
        },
      ];
    }
    return [];
  },
};
