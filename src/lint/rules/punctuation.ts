import { bodyOffsetWhere, headerWhere, type LintRule, type RuleFinding } from '../view.js';

/** `!!!`, `???`, `?!?`, `$$$`, `€€€`: runs of three or more. */
const RUN = /[!?¡¿！？]{3,}|([$€£¥])\1{2,}/gu;
const SUBJECT_EXCLAMATIONS = 2;

export const punctuation: LintRule = {
  id: 'punctuation',
  summary: 'runs such as !!!, ??? or $$$, and several exclamation marks in the subject',
  check(view) {
    const findings: RuleFinding[] = [];
    const subject = view.message.subject ?? '';
    const exclamations = [...subject].filter((character) => character === '!' || character === '！').length;
    const subjectRun = subject.match(RUN)?.[0];
    if (subjectRun || exclamations >= SUBJECT_EXCLAMATIONS) {
      findings.push({
        severity: 'warning',
        where: headerWhere(view, 'subject'),
        message: subjectRun
          ? `the subject has "${subjectRun}"; runs of punctuation are a classic spam sign`
          : `the subject has ${exclamations} exclamation marks; filters score that as spam`,
        fix: 'Use at most one exclamation mark in the subject, and no runs of ! ? or $.',
        evidence: subject,
      });
    }
    for (const body of view.bodies) {
      const match = RUN.exec(body.located.text);
      RUN.lastIndex = 0;
      if (!match) continue;
      findings.push({
        severity: 'warning',
        where: bodyOffsetWhere(view, body, match.index),
        message: `the ${body.area} part has "${match[0]}"; runs of punctuation are a classic spam sign`,
        fix: 'Write one ! or ? at most, and prices as numbers.',
        evidence: match[0],
      });
    }
    return findings;
  },
};
