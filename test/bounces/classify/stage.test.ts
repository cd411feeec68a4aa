/**
 * The SMTP stage of a refusal, and what it changes: a user-unknown wording is a dead address at
 * RCPT TO and when nothing says the stage; it is a filter only on positive evidence.
 */
import { describe, expect, it } from 'vitest';
import { classifyBounce, detectStage, findStage, stageOfCommand } from '../../../src/bounces/classify/index.js';
import { normalizeDiagnostic } from '../../../src/bounces/smtp-text.js';

describe('findStage: the stage named by the wording of a report', () => {
  it.each([
    ['host mx.example.org[192.0.2.7] said: 550 5.1.1 <a@example.org>: Recipient address rejected (in reply to RCPT TO command)', 'RCPT'],
    ['SMTP error from remote mail server after RCPT TO:<a@example.org>: 550 Unrouteable address', 'RCPT'],
    ['SMTP error from remote mail server after pipelined RCPT TO:<a@example.org>: 550 no such user', 'RCPT'],
    ['... while talking to mx.example.org.: >>> RCPT To:<a@example.org> <<< 550 5.1.1 <a@example.org>... User unknown', 'RCPT'],
    ['Remote host said: 550 5.1.1 <a@example.org>... User Unknown [RCPT_TO]', 'RCPT'],
    ['Sorry, no SMTP connection got far enough; most progress was RCPT TO response; 550 user unknown', 'RCPT'],
    ['mx.example.org [192.0.2.25] did not like our RCPT TO: 550 5.7.0 Policy violation', 'RCPT'],
    ['The error that the other server returned was: 550 550 5.1.1 <a@example.org>... User Unknown (state 14).', 'RCPT'],
    ['host mx.example.org said: 550 Unknown user a@example.org (in reply to end of DATA command)', 'DATA'],
    ['SMTP error from remote mail server after end of data: 554 delivery error', 'DATA'],
    ['-------server message 550 5.7.1 Rejected -------SMTP command DATA', 'DATA'],
    ['... while talking to mx.example.org.: >>> DATA <<< 550 Unknown user a@example.org', 'DATA'],
    ['The error that the other server returned was: 550 550 Unknown user a@example.org (state 18).', 'DATA'],
    ['SMTP error from remote mail server after MAIL FROM:<news@example.com> SIZE=1543: 553 sender rejected', 'MAIL'],
    ['host mx.example.org[192.0.2.7] refused to talk to me: 554 5.7.1 Service unavailable; client host blocked', 'CONN'],
    ['SMTP error from remote mail server after initial connection: 554 refused', 'CONN'],
    ['host mx.example.org said: 550 5.7.1 go away (in reply to EHLO command)', 'EHLO'],
  ])('%s -> %s', (text, stage) => {
    expect(findStage(normalizeDiagnostic(text))).toBe(stage);
  });

  it('says nothing when the text does not name a stage', () => {
    expect(findStage(normalizeDiagnostic('550 5.0.0 <a@b.example>... User unknown'))).toBeNull();
    expect(findStage('')).toBeNull();
  });
});

describe('stageOfCommand: stage fields as parsers and vendor exports fill them', () => {
  it.each([
    ['RCPT', 'RCPT'],
    ['rcpt to', 'RCPT'],
    ['RCPT_TO', 'RCPT'],
    ['pipelined RCPT TO', 'RCPT'],
    ['end of data', 'DATA'],
    ['DATA', 'DATA'],
    ['BDAT', 'DATA'],
    ['MAIL FROM:', 'MAIL'],
    ['HELO', 'EHLO'],
    ['CONNECT', 'CONN'],
    ['initial connection', 'CONN'],
  ])('%s -> %s', (field, stage) => {
    expect(stageOfCommand(field)).toBe(stage);
  });

  it.each([null, undefined, '', 'QUIT please', 42])('%s is no stage', (field) => {
    expect(stageOfCommand(field)).toBeNull();
  });

  it('a field beats the wording, and the wording fills in when there is no field', () => {
    expect(detectStage({ command: 'DATA', diagnostic: '550 user unknown (in reply to RCPT TO command)' })).toBe('DATA');
    expect(detectStage({ diagnostic: '550 user unknown (in reply to RCPT TO command)' })).toBe('RCPT');
    expect(detectStage({ diagnostic: '550 user unknown' })).toBeNull();
  });
});

describe('a user-unknown wording: hard at RCPT TO and at an unknown stage, filtered only on evidence', () => {
  it('the library check: 5.0.0 with "User unknown" and no stage is a hard userunknown', () => {
    expect(classifyBounce({ status: '5.0.0', smtpCode: '550', diagnostic: '550 5.0.0 <a@b.example>... User unknown' })).toMatchObject({
      class: 'hard',
      reason: 'userunknown',
    });
  });

  it.each([
    'No such user',
    'Unknown user: a@b.example',
    'Addressee unknown',
    "This user doesn't have a b.example account (a@b.example) [0]",
    'Nonexistent user',
    'Recipient address rejected: User unknown in local recipient table',
    'Requested action not taken: mailbox unavailable',
    '550 <a@b.example>... User not exist',
    '550 No such user here',
    'Invalid recipient',
  ])('%s, stage unknown -> hard userunknown', (diagnostic) => {
    expect(classifyBounce({ diagnostic: `550 ${diagnostic}` })).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('the same words at RCPT TO are hard, even under a mailbox-status code', () => {
    expect(classifyBounce({ diagnostic: '550 5.2.1 <a@b.example>... User Unknown', command: 'RCPT' })).toMatchObject({
      class: 'hard',
      reason: 'userunknown',
    });
  });

  it('after DATA the same words are a filter refusing the message (soft)', () => {
    expect(classifyBounce({ diagnostic: '550 Unknown user a@b.example', command: 'DATA' })).toMatchObject({
      class: 'soft',
      reason: 'filtered',
    });
    expect(
      classifyBounce({ diagnostic: 'host mx.b.example said: 550 Unknown user a@b.example (in reply to end of DATA command)' }),
    ).toMatchObject({ class: 'soft', reason: 'filtered' });
  });

  it('a text that names a policy, filter or spam cause is filtered', () => {
    expect(classifyBounce({ diagnostic: '550 User unknown - rejected by content filter' })).toMatchObject({ reason: 'filtered' });
    expect(classifyBounce({ diagnostic: '550 user unknown (policy)' })).toMatchObject({ reason: 'filtered' });
  });

  it('a mailbox-status or policy code with "unknown" words and no stage is filtered', () => {
    expect(classifyBounce({ diagnostic: '550 5.2.1 <a@b.example>... User Unknown' })).toMatchObject({ reason: 'filtered' });
    expect(classifyBounce({ diagnostic: '550 5.7.1 550 User Unknown: a@b.example' })).toMatchObject({ reason: 'filtered' });
  });

  it('a specific x.1.1 code stays userunknown whatever the stage', () => {
    expect(classifyBounce({ status: '5.1.1', diagnostic: '550 5.1.1 User unknown', command: 'DATA' })).toMatchObject({
      class: 'hard',
      reason: 'userunknown',
    });
  });

  it('at MAIL FROM the unknown address is the sender: rejected', () => {
    expect(classifyBounce({ diagnostic: '550 user unknown', command: 'MAIL FROM' })).toMatchObject({ reason: 'rejected' });
  });
});
