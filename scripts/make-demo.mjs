#!/usr/bin/env node
// Writes fixtures/demo/contacts.csv: a realistic, deterministic contact export of a few hundred
// rows in which every hygiene_reason is represented. Run: node scripts/make-demo.mjs
import { writeFileSync, mkdirSync } from 'node:fs';

let seed = 20261123;
function random() {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const pick = (list) => list[Math.floor(random() * list.length)];

const first = [
  'Ann',
  'Bob',
  'Carla',
  'Dev',
  'Emma',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kira',
  'Liam',
  'Mona',
  'Nils',
  'Olga',
  'Pablo',
  'Quinn',
  'Rosa',
  'Sami',
  'Tess',
  'Uma',
  'Viktor',
  'Wen',
  'Xavier',
  'Yuki',
  'Zoë',
  'José',
  'Chloé',
  'Björn',
  'Aoife',
];
const last = [
  'Adams',
  'Berg',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'García',
  'Hansen',
  'Ito',
  'Jensen',
  'Kowalski',
  'López',
  'Müller',
  'Nakamura',
  "O'Brien",
  'Petrov',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Novák',
  'Weber',
  'Young',
  'Zhang',
  'Silva',
];
const freeDomains = [
  'gmail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'icloud.com',
  'gmx.de',
  'web.de',
  'orange.fr',
  'aol.com',
  'yahoo.co.uk',
  'hotmail.fr',
  'libero.it',
  'comcast.net',
  'proton.me',
  'mail.ru',
];
const companies = [
  ['Northwind Traders', 'northwind.example'],
  ['Acme Corp', 'acme.example'],
  ['Globex', 'globex.example.com'],
  ['Initech', 'initech.example.net'],
  ['Umbrella Labs', 'umbrella-labs.example'],
  ['Stark Logistics', 'starklogistics.example.org'],
  ['Wayne & Sons, Ltd.', 'wayne.example.co.uk'],
];
const countries = ['US', 'DE', 'FR', 'GB', 'IT', 'ES', 'NL', 'SE', 'JP', 'BR'];
const tags = ['newsletter', 'customer', 'trial', 'webinar', 'newsletter;customer', 'event-2026'];

function ascii(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

const rows = [];
function add(firstName, lastName, email, company = '', note = '') {
  const day = 1 + Math.floor(random() * 28);
  const month = 1 + Math.floor(random() * 10);
  rows.push([
    firstName,
    lastName,
    email,
    company,
    pick(countries),
    `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    pick(tags),
    note,
  ]);
}

// Ordinary, valid contacts: the bulk of the list.
for (let i = 0; i < 300; i++) {
  const f = pick(first);
  const l = pick(last);
  if (random() < 0.35) {
    const [company, domain] = pick(companies);
    add(f, l, `${ascii(f)}.${ascii(l)}@${domain}`, company);
  } else {
    const style = Math.floor(random() * 3);
    const local =
      style === 0
        ? `${ascii(f)}.${ascii(l)}`
        : style === 1
          ? `${ascii(f)}${ascii(l)}${Math.floor(random() * 90) + 10}`
          : `${ascii(f)[0]}${ascii(l)}`;
    add(f, l, `${local}@${pick(freeDomains)}`);
  }
}

// invalid-syntax: what real exports contain.
add('Ann', 'Typed', 'ann.typed@gmail', '', 'no TLD');
add('Bob', 'Spaces', ' bob.spaces@yahoo.com ', '', 'blanks around');
add('Carla', 'Display', 'Carla Display <carla.display@outlook.com>', '', 'display name pasted');
add('Dev', 'Double', 'dev..double@hotmail.com', '', '');
add('Emma', 'Comma', 'emma.comma@gmail,com', '', '');
add('Farid', 'Mailto', 'mailto:farid.mailto@web.de', '', 'copied from a link');
add('Grace', 'NoAt', 'grace.noat.gmail.com', '', '');
add('Hugo', 'TwoAt', 'hugo@@orange.fr', '', '');
add('Ines', 'Local', 'ines@localhost', '', '');
add('Jonas', 'IP', 'jonas@[192.0.2.10]', '', '');
add('Kira', 'Test', 'kira@shop.test', '', '');
add('Liam', 'Empty', '', '', 'no address given');
add('Mona', 'At', 'mona[at]gmx.de', '', '');
add('Nils', 'Trailing', 'nils.trailing@icloud.com.', '', '');

// typo-domain: misspelt popular domains.
for (const [f, domain] of [
  ['Olga', 'gmial.com'],
  ['Pablo', 'hotmial.com'],
  ['Quinn', 'yahoo.cmo'],
  ['Rosa', 'outlok.fr'],
  ['Sami', 'gmail.con'],
  ['Tess', 'gmai.com'],
  ['Uma', 'hotmail.comm'],
  ['Viktor', 'gmial.com'],
  ['Wen', 'iclod.com'],
  ['Xavier', 'yaho.com'],
]) {
  add(f, 'Typo', `${ascii(f)}.typo@${domain}`);
}

// disposable.
for (const [f, domain] of [
  ['Yuki', 'mailinator.com'],
  ['Zoë', 'guerrillamail.com'],
  ['José', '10minutemail.com'],
  ['Chloé', 'yopmail.com'],
]) {
  add(f, 'Temp', `${ascii(f)}.temp@${domain}`);
}

// role accounts (counted; suppressed only with --suppress-role).
for (const [local, company] of [
  ['info', companies[0]],
  ['sales', companies[1]],
  ['support', companies[2]],
  ['noreply', companies[3]],
  ['marketing', companies[4]],
]) {
  add('', '', `${local}@${company[1]}`, company[0], 'shared inbox');
}

// duplicates: the same mailbox again, differing in case.
const originals = rows
  .slice(0, 300)
  .filter((_, i) => i % 37 === 5)
  .slice(0, 6);
for (const row of originals)
  add(
    row[0],
    row[1],
    row[2].replace(/^./, (c) => c.toUpperCase()).replace(/@(.*)$/, (m) => m.toUpperCase()),
    row[3],
    'imported twice',
  );

// Addresses the demo bounces talk about (fixtures/demo/bounces): hard, complaint, soft, blocked.
const bounced = [
  ['Alice', 'Gone', 'alice.gone@northwind.example', 'Northwind Traders'],
  ['Brian', 'Left', 'brian.left@acme.example', 'Acme Corp'],
  ['Cora', 'Nodomain', 'cora@defunct-startup.example', ''],
  ['Dan', 'Unknown', 'dan.unknown@gmail.com', ''],
  ['Eve', 'Complains', 'eve.complains@yahoo.com', ''],
  ['Finn', 'Complains', 'finn.k@hotmail.com', ''],
  ['Gina', 'Full', 'gina.full@gmx.de', ''],
  ['Hank', 'Slow', 'hank@globex.example.com', 'Globex'],
  ['Iris', 'Often', 'iris.often@web.de', ''],
  ['Jack', 'Often', 'jack.often@orange.fr', ''],
  ['Kate', 'Blocked', 'kate.blocked@gmail.com', ''],
  ['Leo', 'Blocked', 'leo.blocked@outlook.com', ''],
  ['Mia', 'Blocked', 'mia.blocked@gmail.com', ''],
  ['Ned', 'Delivered', 'ned.back@initech.example.net', 'Initech'],
  ['Oona', 'Cleaned', 'oona.cleaned@aol.com', ''],
  ['Pete', 'Away', 'pete.away@starklogistics.example.org', 'Stark Logistics'],
];
for (const [f, l, email, company] of bounced) add(f, l, email, company);

// A few quoted fields with commas and line breaks, as CRM exports write notes.
rows[10][7] = 'Met at the fair, booth 12\nwants a demo in Q1';
rows[42][7] = 'Prefers "plain text" mail';

// Shuffle deterministically but keep each duplicate after its original.
const header = ['First Name', 'Last Name', 'Email Address', 'Company', 'Country', 'Signup Date', 'Tags', 'Notes'];
function field(value) {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
const text = [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
mkdirSync('fixtures/demo', { recursive: true });
writeFileSync('fixtures/demo/contacts.csv', text);
console.log(`fixtures/demo/contacts.csv: ${rows.length} rows`);
