import type { ReasonPhrases } from './types.js';

/** The recipient host's local delivery program (procmail, a pipe, maildrop) failed. */
export const mailererror: ReasonPhrases = {
  reason: 'mailererror',
  phrases: [
    ' || exit ',
    'procmail: ',
    'bin/procmail',
    'bin/maildrop',
    'command failed: ',
    'command died with status',
    'command output:',
    'mailer error',
    'pipe to |/',
    'x-unix; ',
    'unknown mailer error',
    'local mailer',
    'exit status',
    'exited with status',
    'mail.local',
  ],
  // Postfix's own diagnostic type (local delivery, pipes); as vague as "x-unix" is specific.
  weakPhrases: ['x-postfix; '],
};
