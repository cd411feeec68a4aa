import { countCapitals } from '../caps.js';
import { headerWhere, type LintRule } from '../view.js';

export const subjectCaps: LintRule = {
  id: 'subject-caps',
  summary: 'a subject mostly in capitals',
  check(view) {
    const subject = view.message.subject;
    if (!subject) return [];
    const count = countCapitals(subject, 2);
    if (count.capitals < 2 || count.capitals <= count.words * view.thresholds.subjectCapsShare) return [];
    return [
      {
        severity: 'warning',
        where: headerWhere(view, 'subject'),
        message: `${count.capitals} of the subject's ${count.words} words are in capitals ("${count.examples.slice(0, 4).join(' ')}"); filters and readers take it for shouting`,
        fix: 'Write the subject in sentence case; keep capitals for names and short acronyms.',
        evidence: subject,
      },
    ];
  },
};
