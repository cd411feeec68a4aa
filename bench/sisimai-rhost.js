#!/usr/bin/env node
// npm run bench:rhost : do our classes carry over to the replies that large receiving services
// document? Sisimai (Debian's libsisimai-perl) keeps, per service, a table of the replies and
// error codes that service publishes (Sisimai/Rhost/*.pm: Exchange Online's NDR codes, Google
// Workspace's SMTP errors, Mimecast's error codes, Cox's and Spectrum's AUP codes, GoDaddy's IB
// codes, Orange/La Poste's OFR/LPN codes, Tencent QQ's replies, i.ua's error pages), each with the
// reason the service gives it. Each entry becomes one reply text (the table's own message, or the
// reply quoted in its comment, or its code in the shape the service writes it), classified by
// hygiene without the remote host (the text alone must say it). Measures: the class (hard, soft,
// block) against the class of the table's reason, and the reason itself (Sisimai 4 names mapped to
// today's: toomanyconn -> ratelimited, mesgtoobig and exceedlimit -> emailtoolarge).
// Skips with a note (exit 0) where Sisimai is not installed.
//   node bench/sisimai-rhost.js [--verbose]    lists every reply whose class differs (with
//                                              --verbose, whose reason differs too)
//   node bench/sisimai-rhost.js --mtas         adds the phrase lists of Sisimai's MTA modules
//                                              (Lhost/*.pm: Exim's, OpenSMTPD's, qmail's own words)
//   node bench/sisimai-rhost.js --reasons      adds the phrase lists of its reason modules (Reason/*.pm)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { classifyBounce, classOfReason } from '../dist/bounces/classify/index.js';

const RHOST = process.env.SISIMAI_RHOST ?? '/usr/share/perl5/Sisimai/Rhost';
const verbose = process.argv.includes('--verbose');
const withMtas = process.argv.includes('--mtas');
const withReasons = process.argv.includes('--reasons');

/** Sisimai 4's reason names that were renamed since (hygiene uses today's). */
const RENAMED = { toomanyconn: 'ratelimited', mesgtoobig: 'emailtoolarge', exceedlimit: 'emailtoolarge', blokced: 'blocked' };
const reasonName = (name) => RENAMED[name] ?? name;

/** The quoted strings and numbers of a Perl list literal, in order. */
function literals(text) {
  const out = [];
  const pattern = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[3] !== undefined) out.push(Number(match[3]));
    else out.push((match[1] ?? match[2]).replace(/\\(.)/g, '$1'));
  }
  return out;
}

/** The block of `state $NAME = { ... };` (or `my $NAME`), as lines. */
function block(source, name) {
  const start = source.search(new RegExp(`(?:state|my) \\$${name} = [{\\[]`));
  if (start === -1) return [];
  const lines = source.slice(start).split('\n');
  const end = lines.findIndex((line, index) => index > 0 && /^\s{4}[}\]];/.test(line));
  return lines.slice(1, end === -1 ? lines.length : end);
}

/** A reply code for a status code that has none in the table. */
const codeFor = (status) => (status.startsWith('4') ? '451' : '550');

/**
 * `'reason' => [ [entry], ... ]` tables (Exchange Online, Google Workspace, Mimecast) and
 * `'reason' => [ 'message', ... ]` lists (Cox, GoDaddy): one case per message.
 */
function messageTables(module, source) {
  const cases = [];
  let reason = null;
  for (const line of block(source, 'messagesof')) {
    const head = /^\s*'(\w+)'\s*=>\s*\[(.*)$/.exec(line);
    if (head) {
      reason = head[1];
      // A one-line list: 'blocked' => ['a', 'b'],
      const rest = head[2].replace(/#.*$/, '');
      if (/\]/.test(rest)) {
        for (const message of literals(rest)) if (typeof message === 'string') cases.push({ module, reason, diagnostic: message });
        reason = null;
      }
      continue;
    }
    if (!reason || /^\s*#/.test(line)) continue;
    const entry = /^\s*\[(.*)\],?\s*(?:#.*)?$/.exec(line);
    if (entry) {
      const fields = literals(entry[1]);
      const message = fields[fields.length - 1];
      if (typeof message !== 'string') continue;
      if (module === 'ExchangeOnline') {
        const [prefix, low] = fields;
        const status = low > 0 ? `${prefix}${low}` : prefix;
        cases.push({ module, reason, status, diagnostic: `${codeFor(status)} ${status} ${message}` });
      } else if (module === 'GoogleApps') {
        const [code, status] = fields;
        cases.push({ module, reason, status, diagnostic: `${code} ${status} ${message}` });
      } else if (module === 'Mimecast') {
        const [code] = fields;
        cases.push({ module, reason, diagnostic: `${code} ${message}` });
      }
      continue;
    }
    const plain = /^\s*'((?:[^'\\]|\\.)*)'\s*,?\s*(?:#.*)?$/.exec(line) ?? /^\s*"((?:[^"\\]|\\.)*)"\s*,?\s*(?:#.*)?$/.exec(line);
    if (plain) cases.push({ module, reason, diagnostic: plain[1].replace(/\\(.)/g, '$1') });
    if (/^\s*\],?\s*$/.test(line)) reason = null;
  }
  return cases;
}

/** `'message' => 'reason'` tables (Tencent QQ). */
function phraseTable(module, source) {
  const cases = [];
  for (const line of block(source, 'messagesof')) {
    const entry = /^\s*'([^']+)'\s*=>\s*'(\w+)'/.exec(line);
    if (entry) cases.push({ module, reason: entry[2], diagnostic: `550 ${entry[1]}` });
  }
  return cases;
}

/**
 * `'CODE' => 'reason'` tables. The reply is the one quoted in the comments above or beside the
 * entry when they quote one that carries the code; else the code in the service's own shape.
 */
function codeTable(module, source, shape) {
  const cases = [];
  let comments = [];
  for (const line of block(source, 'errorcodes')) {
    const comment = /^\s*#\s?(.*)$/.exec(line);
    if (comment) {
      comments.push(comment[1].trim());
      continue;
    }
    const entry = /^\s*'(\w+)'\s*=>\s*(?:'(\w+)'|undef)\s*,?\s*(?:#\s*(.*))?$/.exec(line);
    if (!entry) {
      if (!line.trim()) comments = [];
      continue;
    }
    const [, code, reason, beside] = entry;
    const quoted = [...comments, beside ?? ''].filter(
      (text) => new RegExp(`\\b${code}\\b`).test(text) && /^[245]\d\d\b|\b[245]\d\d [245]\.\d/.test(text),
    );
    const texts = quoted.length > 0 ? quoted : [shape(code, beside ?? '')];
    for (const diagnostic of texts) cases.push({ module, reason: reason ?? 'undefined', diagnostic });
    comments = [];
  }
  return cases;
}

/** Orange / La Poste quote replies over several comment lines, each ending with its code. */
function francePtt(source) {
  const cases = [];
  let pending = [];
  for (const line of block(source, 'errorcodes')) {
    const comment = /^\s*#\s?(.*)$/.exec(line);
    if (comment) {
      pending.push(comment[1].trim());
      continue;
    }
    const entry = /^\s*'(\d+)'\s*=>\s*(?:'(\w+)'|undef)/.exec(line);
    if (!entry) continue;
    const [, code, reason] = entry;
    // Split the comment lines into replies: a reply ends at a line that carries the code.
    let reply = [];
    for (const text of pending) {
      if (!text) {
        reply = [];
        continue;
      }
      reply.push(text);
      if (/\b(?:LPN|LPNAAA|OFR|OUK)(?:_\d{3}|\d{3}[-_]\d{3})\b/i.test(text)) {
        cases.push({
          module: 'FrancePTT',
          reason: reason ?? 'undefined',
          diagnostic: reply.join(' ').replace(/^refused to talk to me: /, ''),
        });
        reply = [];
      }
    }
    pending = [];
  }
  return cases;
}

function casesOf(file) {
  const module = path.basename(file, '.pm');
  const source = readFileSync(file, 'utf8');
  switch (module) {
    case 'ExchangeOnline':
    case 'GoogleApps':
    case 'Mimecast':
      return messageTables(module, source);
    case 'Cox':
      return [...codeTable(module, source, (code) => `554 5.7.1 Rejected AUP#${code}`), ...messageTables(module, source)];
    case 'GoDaddy':
      return [...codeTable(module, source, (code) => `554 Rejected ${code}`), ...messageTables(module, source)];
    case 'Spectrum':
      return codeTable(module, source, (code) => `554 5.7.1 Rejected AUP#${code}`);
    case 'IUA':
      return codeTable(module, source, (code) => `550 Rejected, see http://mail.i.ua/err/${code}/`);
    case 'TencentQQ':
      return phraseTable(module, source);
    case 'FrancePTT':
      return francePtt(source);
    default:
      return [];
  }
}

/** Sisimai's reason names (4.25 and today's): a `messagesof` key that is one is a reason table. */
const REASON_NAMES = new Set([
  ...['userunknown', 'hostunknown', 'hasmoved', 'notaccept', 'mailboxfull', 'suspend', 'filtered', 'rejected', 'blocked'],
  ...['spamdetected', 'virusdetected', 'contenterror', 'securityerror', 'norelaying', 'syntaxerror', 'systemerror'],
  ...['systemfull', 'mailererror', 'networkerror', 'expired', 'exceedlimit', 'mesgtoobig', 'toomanyconn', 'policyviolation'],
  ...['onhold', 'badreputation', 'requireptr', 'authfailure', 'notcompliantrfc', 'failedstarttls', 'ratelimited', 'emailtoolarge'],
]);

/** The reason phrase lists of the MTA modules (Sisimai/Lhost/*.pm): each phrase as the whole text. */
function mtaCases(file) {
  const module = `Lhost::${path.basename(file, '.pm')}`;
  return messageTables(module, readFileSync(file, 'utf8')).filter((item) => REASON_NAMES.has(item.reason));
}

/** The phrase list of a reason module (Sisimai/Reason/*.pm, `state $index = [...]`): each phrase as the whole text. */
function reasonCases(file) {
  const reason = path.basename(file, '.pm').toLowerCase();
  if (!REASON_NAMES.has(reason)) return [];
  const lines = block(readFileSync(file, 'utf8'), 'index');
  return lines.flatMap((line) => {
    const phrase = /^\s*'((?:[^'\\]|\\.)*)'|^\s*"((?:[^"\\]|\\.)*)"/.exec(line);
    return phrase ? [{ module: `Reason::${reason}`, reason, diagnostic: (phrase[1] ?? phrase[2]).replace(/\\(.)/g, '$1') }] : [];
  });
}

/**
 * One example text for each alternative of a Perl `/x` regex (`qr{(?> a |b(?:c|d) )}x`), as
 * Sisimai's regex reason modules write them: comments and blanks dropped, `[ ]` a blank, one
 * character for a class, `?` and `*` taken as present once, `+` once, `\d` a digit.
 */
function expandPerlRegex(source) {
  const text = source
    .split('\n')
    .map((line) => line.replace(/\s#\s.*$/, '').replace(/^\s*#.*$/, ''))
    .join('\n')
    // `/x` drops blanks, so the blank of a class is kept apart first.
    .replaceAll('[ ]', '\u0001')
    .replaceAll('[^ ]', '[^\u0002]')
    .replace(/\s+/g, '')
    .replaceAll('\u0001', '[ ]')
    .replaceAll('[^\u0002]', '[^ ]');
  let at = 0;
  // Each parse function returns the list of strings the part can stand for.
  const sequence = () => {
    let outs = [''];
    while (at < text.length && text[at] !== '|' && text[at] !== ')') {
      const atom = parseAtom();
      outs = outs.flatMap((left) => atom.map((right) => left + right));
      if (outs.length > 400) outs = outs.slice(0, 400);
    }
    return outs;
  };
  const alternation = () => {
    const outs = [...sequence()];
    while (text[at] === '|') {
      at++;
      outs.push(...sequence());
    }
    return outs;
  };
  const parseAtom = () => {
    let outs;
    const ch = text[at];
    if (ch === '(') {
      at++;
      if (text[at] === '?') at += text[at + 1] === '>' || text[at + 1] === ':' ? 2 : 1;
      outs = alternation();
      at++; // ')'
    } else if (ch === '[') {
      let end = text.indexOf(']', at + 2);
      if (end === -1) end = text.length - 1;
      const body = text.slice(at + 1, end);
      at = end + 1;
      outs = [body === ' ' ? ' ' : body.startsWith('^') ? 'x' : body === '0-9a-z_' ? 'a' : body[0] === '\\' ? body[1] : body[0]];
    } else if (ch === '\\') {
      const next = text[at + 1];
      at += 2;
      outs = [next === 'd' ? '1' : next === 'A' || next === 'z' || next === 'b' ? '' : next === 's' ? ' ' : next];
    } else if (ch === '.') {
      at++;
      outs = ['x'];
    } else if (ch === '^' || ch === '$') {
      at++;
      outs = [''];
    } else {
      at++;
      outs = [ch];
    }
    // Quantifiers: once; an optional part is taken as present.
    while (at < text.length && '?*+{'.includes(text[at])) {
      if (text[at] === '{') at = Math.max(at + 1, text.indexOf('}', at) + 1);
      else at++;
    }
    return outs;
  };
  const examples = [];
  // A stray ')' at the top (after the last alternative) ends nothing: skip it and go on.
  while (at < text.length) {
    const before = at;
    examples.push(...alternation());
    if (at === before) at++;
  }
  return examples.map((example) => example.replace(/\s+/g, ' ').trim());
}

/** The examples of a regex reason module (Sisimai/Reason/*.pm with `state $regex = qr{...}x`). */
function regexReasonCases(file) {
  const reason = path.basename(file, '.pm').toLowerCase();
  if (!REASON_NAMES.has(reason)) return [];
  const source = readFileSync(file, 'utf8');
  const found = /state \$regex = qr\{\(\?>([\s\S]*?)\)\s*\}x;/.exec(source);
  if (!found) return [];
  return expandPerlRegex(found[1])
    .filter((example) => example.length >= 8)
    .map((diagnostic) => ({ module: `Reason::${reason}`, reason, diagnostic }));
}

function main() {
  if (!existsSync(RHOST)) {
    console.log(`Sisimai's Rhost tables are not here (${RHOST}): apt-get install libsisimai-perl. Skipped.`);
    return;
  }
  const modules = (dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.pm'))
          .sort()
          .map((name) => path.join(dir, name))
      : [];
  const cases = [
    ...modules(RHOST).flatMap(casesOf),
    ...(withMtas ? modules(path.join(path.dirname(RHOST), 'Lhost')).flatMap(mtaCases) : []),
    ...(withReasons ? modules(path.join(path.dirname(RHOST), 'Reason')).flatMap(reasonCases) : []),
    ...(withReasons ? modules(path.join(path.dirname(RHOST), 'Reason')).flatMap(regexReasonCases) : []),
  ];
  const byModule = new Map();
  let classAgree = 0;
  let reasonAgree = 0;
  let hardAgree = 0;
  const differences = [];
  for (const item of cases) {
    const expected = reasonName(item.reason);
    const expectedClass = expected === 'undefined' ? 'undetermined' : classOfReason(expected, /^4/.test(item.status ?? item.diagnostic));
    const ours = classifyBounce({ diagnostic: item.diagnostic, status: item.status ?? null, smtpCode: null, action: 'failed' });
    const sameClass = ours.class === expectedClass;
    const sameReason = ours.reason === expected;
    const sameHard = (ours.class === 'hard') === (expectedClass === 'hard');
    classAgree += sameClass ? 1 : 0;
    reasonAgree += sameReason ? 1 : 0;
    hardAgree += sameHard ? 1 : 0;
    const counts = byModule.get(item.module) ?? { cases: 0, classAgree: 0, reasonAgree: 0 };
    counts.cases++;
    counts.classAgree += sameClass ? 1 : 0;
    counts.reasonAgree += sameReason ? 1 : 0;
    byModule.set(item.module, counts);
    if (!sameClass || (verbose && !sameReason)) differences.push({ ...item, expected, expectedClass, ours });
  }
  const pct = (n, of) => `${((100 * n) / of).toFixed(1)}% (${n}/${of})`;
  console.log(
    `Sisimai's per-service reply tables${withMtas ? ', MTA phrase lists' : ''}${withReasons ? ', reason phrase lists' : ''} (${path.dirname(RHOST)}): ${cases.length} texts of ${byModule.size} modules`,
  );
  console.log(`class agreement   ${pct(classAgree, cases.length)}`);
  console.log(`hard-flag agreement ${pct(hardAgree, cases.length)}`);
  console.log(`reason agreement  ${pct(reasonAgree, cases.length)}`);
  for (const [module, counts] of byModule) {
    console.log(
      `  ${module.padEnd(15)} ${String(counts.cases).padStart(4)} replies  class ${pct(counts.classAgree, counts.cases).padEnd(16)} reason ${pct(counts.reasonAgree, counts.cases)}`,
    );
  }
  if (differences.length > 0) console.log(`\n${verbose ? 'differences' : 'class differences'} (${differences.length}):`);
  for (const item of differences) {
    console.log(
      `  ${item.module}: ours ${item.ours.reason}/${item.ours.class}, table ${item.expected}/${item.expectedClass} | ${item.diagnostic.slice(0, 150)}`,
    );
  }
}

main();
