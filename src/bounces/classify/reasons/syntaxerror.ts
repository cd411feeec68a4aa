import type { ReasonPhrases } from './types.js';

/** The sending MTA spoke malformed SMTP (bad command, sequence or parameters). */
export const syntaxerror: ReasonPhrases = {
  reason: 'syntaxerror',
  phrases: [
    'improper sequence of commands',
    'malformed address',
    'syntax error',
    'command not recognized',
    'unrecognized command',
    'command unrecognized',
    'bad sequence of commands',
    'command not implemented',
    'parameters not implemented',
    'unknown command',
    'invalid command',
    'smtp protocol violation',
    // Exim's address parser.
    'angle-brackets nested too deep',
    'domain missing in source-routed address',
  ],
};
