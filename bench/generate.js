// Deterministic benchmark inputs: a CRM-like contact export, a busy Postfix log, and a folder of
// bounce messages repeated from a sample. Every generator takes a seed and uses its own PRNG, so
// the same arguments give byte-identical files on every run and machine.
// All addresses are synthetic: made-up people at real free-mail providers or at *.example names.
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';

/** sfc32: small, fast, good enough statistics for test data, and identical everywhere. */
export function createRandom(seed) {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next(); // warm up: the first outputs of sfc32 echo the seed
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

/** Buffers text and writes it in ~1 MiB chunks, honouring back-pressure. */
function createChunkWriter(file) {
  const stream = createWriteStream(file);
  let buffer = '';
  let bytes = 0;
  return {
    async write(text) {
      buffer += text;
      if (buffer.length >= 1 << 20) await this.flush();
    },
    async flush() {
      if (buffer === '') return;
      const chunk = Buffer.from(buffer, 'utf8');
      buffer = '';
      bytes += chunk.length;
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async close() {
      await this.flush();
      stream.end();
      await once(stream, 'finish');
      return bytes;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Contacts

const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Carla',
  'David',
  'Emma',
  'Felix',
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
  'Yara',
  'Zack',
  'Alice',
  'Brian',
  'Chen',
  'Diana',
  'Ethan',
  'Fatima',
  'George',
  'Hannah',
  'Ivan',
  'Julia',
  'Kevin',
  'Laura',
  'Mark',
  'Nora',
  'Oscar',
  'Priya',
  'Rahul',
  'Sarah',
  'Tom',
  'Victor',
  'Wei',
  'Yusuf',
  'Amir',
  'Bella',
  'Carlos',
  'Daniel',
  'Elena',
  'Frank',
  'Gina',
  'Henry',
  'Isabel',
  'Jack',
  'Karen',
  'Lucas',
  'Maria',
  'Noah',
  'Olivia',
  'Peter',
  'Rachel',
  'Steve',
  'Tina',
  'Zara',
];
// Names as people type them into a sign-up form: accents, other scripts.
const FIRST_NAMES_UNICODE = [
  ['Zoë', 'zoe'],
  ['José', 'jose'],
  ['Chloé', 'chloe'],
  ['Björn', 'bjorn'],
  ['Łukasz', 'lukasz'],
  ['Søren', 'soren'],
  ['Ángel', 'angel'],
  ['François', 'francois'],
  ['Dmitrii', 'dmitrii'],
  ['Дмитрий', 'dmitry'],
  ['Ольга', 'olga'],
  ['美咲', 'misaki'],
  ['陽翔', 'haruto'],
  ['민준', 'minjun'],
  ['Αλέξανδρος', 'alexandros'],
  ['Ayşe', 'ayse'],
  ['Đorđe', 'djordje'],
  ['Siân', 'sian'],
];
const LAST_NAMES = [
  'Adams',
  'Berg',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Hansen',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Miller',
  'Nakamura',
  'Petrov',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Novak',
  'Weber',
  'Young',
  'Zhang',
  'Silva',
  'Brown',
  'Clark',
  'Davis',
  'Wilson',
  'Taylor',
  'Moore',
  'Martin',
  'Lee',
  'Walker',
  'Hall',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Green',
  'Baker',
  'Nelson',
  'Carter',
  'Mitchell',
  'Perez',
  'Roberts',
  'Turner',
  'Phillips',
  'Campbell',
  'Parker',
  'Edwards',
  'Collins',
  'Stewart',
];
const LAST_NAMES_UNICODE = [
  ['Müller', 'mueller'],
  ['García', 'garcia'],
  ['López', 'lopez'],
  ['Nováková', 'novakova'],
  ["O'Brien", 'obrien'],
  ['Øster', 'oster'],
  ['Şahin', 'sahin'],
  ['Grünewald', 'gruenewald'],
  ['Иванов', 'ivanov'],
  ['佐藤', 'sato'],
  ['김', 'kim'],
  ['Παπαδόπουλος', 'papadopoulos'],
  ['Ó Súilleabháin', 'osullivan'],
  ['Dvořák', 'dvorak'],
];
const FREE_MAIL = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'yahoo.com',
  'hotmail.com',
  'outlook.com',
  'icloud.com',
  'aol.com',
  'gmx.de',
  'web.de',
  'orange.fr',
  'yahoo.co.uk',
  'hotmail.fr',
  'libero.it',
  'comcast.net',
  'proton.me',
  'mail.ru',
  'live.com',
  'btinternet.com',
  't-online.de',
];
// Misspellings that sign-up forms really collect; each is one or two keystrokes from the real name.
const TYPO_DOMAINS = [
  'gmial.com',
  'gmai.com',
  'gmail.con',
  'gmaill.com',
  'gnail.com',
  'hotmial.com',
  'hotmail.con',
  'hotmal.com',
  'yahooo.com',
  'yaho.com',
  'outlok.com',
  'outllook.com',
  'iclod.com',
  'gmail.co',
];
const DISPOSABLE = ['mailinator.com', 'guerrillamail.com', 'yopmail.com', '10minutemail.com'];
const ROLE_LOCALS = ['info', 'sales', 'contact', 'office', 'admin', 'support', 'hello', 'billing'];
const IDN_DOMAINS = [
  'münchen-bau.example',
  'café-lumière.example',
  'bücherstube.example.de',
  'ñandú.example.org',
  'пример.example',
  '例え.example',
];
const COMPANY_WORDS = [
  'north',
  'wind',
  'acme',
  'globe',
  'ini',
  'tech',
  'umbrella',
  'stark',
  'wayne',
  'blue',
  'river',
  'stone',
  'bright',
  'pixel',
  'cloud',
  'green',
  'field',
  'iron',
  'oak',
  'silver',
  'summit',
  'harbor',
  'nova',
  'apex',
  'delta',
  'orbit',
  'cedar',
  'maple',
  'falcon',
  'lumen',
];
// With COMPANY_WORDS twice, these tails give ~180,000 distinct company domains: B2B lists are a
// long tail of small companies, so per-domain caches must work under churn, not just on gmail.com.
const COMPANY_TAILS = [
  '',
  '',
  '',
  '',
  'group',
  'labs',
  'hq',
  'works',
  'systems',
  'media',
  'digital',
  'partners',
  'studio',
  'solutions',
  'consulting',
  'logistics',
  'foods',
  'energy',
  'health',
  'capital',
  'legal',
  'design',
  'tech',
  'retail',
  'travel',
  'games',
  'bio',
  'auto',
  'build',
  'print',
  'farm',
  '24',
  '360',
  '-uk',
  '-de',
  '-us',
  '-fr',
  '-online',
  '-shop',
  '-net',
];
const COMPANY_SUFFIXES = [' GmbH', ' Ltd', ' Inc.', ' S.A.', ' & Co', ', Inc.', ' AG', ' BV', ''];
const COMPANY_TLDS = ['.example.com', '.example.org', '.example.net', '.example', '.example.co.uk'];
const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'FR', 'IT', 'ES', 'NL', 'SE', 'JP', 'BR', 'CA', 'AU', 'IN', 'PL', 'MX', 'KR'];
const TAGS = ['newsletter', 'customer', 'trial', 'webinar', 'newsletter;customer', 'event-2025', 'lead', 'vip;customer', ''];
const NOTES = [
  'Met at the Berlin expo, wants a demo',
  'Asked for pricing, "enterprise" tier',
  'Prefers email, not phone',
  'Unsubscribed from SMS, keep email',
  'Referral from partner, see ticket #4411',
  'Said: "call me after Q3, not before"',
  'Billing contact; invoices go to AP',
  'Former customer, churned 2023',
];
const MULTILINE_NOTES = [
  'Call notes:\nasked about API limits\nfollow up in March',
  'Address:\n12 Harbour Road, Unit 4\nDublin',
  'Wrote: "please remove my colleague,\nshe left the company"',
];

/** How each invalid address is typed: what real exports contain. */
const INVALID_FORMS = [
  (local, domain) => `${local}${domain}`, // @ lost
  (local, domain) => `${local}@${domain.split('.')[0]}`, // no TLD
  (local, domain) => `${local}..x@${domain}`,
  (local, domain) => `${local} ${local}@${domain}`,
  (local, domain) => `${local}@@${domain}`,
  (local, domain) => `${local}@${domain}.`,
  (local, domain) => `"${local}" <${local}@${domain}>`,
  (local, domain) => `${local}@${domain},${local}2@${domain}`,
  (local, domain) => `.${local}@${domain}`,
  (local, domain) => `${local}@${domain.replace('.', '_')}`,
  (local, domain) => `${local}@${domain.replace('.', ',')}`,
  () => '',
  () => 'n/a',
  () => '-',
];

const NEEDS_QUOTES = /[",\r\n]/;

function csvField(value) {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Counts of what was planted, so the benchmark can check that clean saw every row. */
function emptyContactStats() {
  return { rows: 0, bytes: 0, invalid: 0, typo: 0, duplicate: 0, disposable: 0, role: 0, idn: 0, nonAsciiName: 0, multiline: 0, quoted: 0 };
}

/**
 * Writes a contact export of `rows` data rows (plus a header) with ~3% invalid addresses, ~1%
 * typo domains, ~2% duplicates of earlier rows, quoted notes (commas, quotes, newlines),
 * accented and non-Latin names, and a few IDN domains. CRLF line ends, like most CRM exports.
 */
export async function writeContactsCsv(file, rows, seed = 20251123) {
  const random = createRandom(seed);
  const out = createChunkWriter(file);
  const stats = emptyContactStats();
  const earlier = []; // a reservoir of addresses already written, for duplicates far apart
  const RESERVOIR = 8192;
  await out.write('First Name,Last Name,Email,Company,Country,Signup Date,Tags,Notes\r\n');

  for (let i = 1; i <= rows; i++) {
    let firstName;
    let firstAscii;
    let nonAscii = false;
    if (random.chance(0.06)) {
      [firstName, firstAscii] = random.pick(FIRST_NAMES_UNICODE);
      nonAscii = true;
    } else {
      firstName = random.pick(FIRST_NAMES);
      firstAscii = firstName.toLowerCase();
    }
    let lastName;
    let lastAscii;
    if (random.chance(0.05)) {
      [lastName, lastAscii] = random.pick(LAST_NAMES_UNICODE);
      nonAscii = true;
    } else {
      lastName = random.pick(LAST_NAMES);
      lastAscii = lastName.toLowerCase();
    }
    if (nonAscii) stats.nonAsciiName++;

    let company = '';
    let email;
    let fresh = false; // a new, valid address that a later duplicate may repeat
    const kind = random.next();
    // The row number inside each fresh local part keeps fresh addresses unique, so the only
    // duplicates are the planted ones.
    const styles = [
      `${firstAscii}.${lastAscii}${i}`,
      `${firstAscii[0]}${lastAscii}${i}`,
      `${lastAscii}.${firstAscii}${i}`,
      `${firstAscii}${i}`,
    ];
    const local = styles[random.int(styles.length)];
    if (kind < 0.03) {
      email = random.pick(INVALID_FORMS)(local, random.pick(FREE_MAIL));
      stats.invalid++;
    } else if (kind < 0.04) {
      email = `${local}@${random.pick(TYPO_DOMAINS)}`;
      stats.typo++;
    } else if (kind < 0.06 && earlier.length > 0) {
      const original = random.pick(earlier);
      // Half are the same text, half differ only in case, as when a list was merged from two tools.
      email = random.chance(0.5) ? original : original.toUpperCase();
      stats.duplicate++;
    } else if (kind < 0.065) {
      email = `${local}@${random.pick(DISPOSABLE)}`;
      stats.disposable++;
      fresh = true;
    } else if (kind < 0.07) {
      company = `${random.pick(COMPANY_WORDS)}${random.pick(COMPANY_WORDS)}`;
      email = `${random.pick(ROLE_LOCALS)}${i}@${company}${random.pick(COMPANY_TLDS)}`;
      company = capitalize(company) + random.pick(COMPANY_SUFFIXES);
      stats.role++;
      fresh = true;
    } else if (kind < 0.075) {
      email = `${local}@${random.pick(IDN_DOMAINS)}`;
      stats.idn++;
      fresh = true;
    } else if (kind < 0.45) {
      // Half of the business contacts work at ~900 bigger companies, half in the long tail.
      const tail = random.chance(0.5) ? random.pick(COMPANY_TAILS) : '';
      const name = `${random.pick(COMPANY_WORDS)}${random.pick(COMPANY_WORDS)}${tail}`;
      email = `${local}@${name}${tail === '' ? '.example.com' : random.pick(COMPANY_TLDS)}`;
      company = capitalize(name) + random.pick(COMPANY_SUFFIXES);
      fresh = true;
    } else {
      email = `${local}@${random.pick(FREE_MAIL)}`;
      fresh = true;
    }
    if (fresh) {
      if (earlier.length < RESERVOIR) earlier.push(email);
      else if (random.chance(0.05)) earlier[random.int(RESERVOIR)] = email;
    }

    let note = '';
    const noteKind = random.next();
    if (noteKind < 0.01) {
      note = random.pick(MULTILINE_NOTES);
      stats.multiline++;
    } else if (noteKind < 0.12) {
      note = random.pick(NOTES);
    }
    const year = 2019 + random.int(7);
    const month = String(1 + random.int(12)).padStart(2, '0');
    const day = String(1 + random.int(28)).padStart(2, '0');
    const fields = [firstName, lastName, email, company, random.pick(COUNTRIES), `${year}-${month}-${day}`, random.pick(TAGS), note];
    let line = '';
    let quoted = false;
    for (let f = 0; f < fields.length; f++) {
      const field = csvField(fields[f]);
      if (field !== fields[f]) quoted = true;
      line += f === 0 ? field : `,${field}`;
    }
    if (quoted) stats.quoted++;
    await out.write(`${line}\r\n`);
  }
  stats.rows = rows;
  stats.bytes = await out.close();
  return stats;
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Postfix log

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SENDERS = ['news@example.com', 'billing@example.com', 'noreply@example.com', 'alerts@example.com', 'team@example.com'];
const RECIPIENT_DOMAINS = [
  ['gmail.com', 'gmail-smtp-in.l.google.com', 'gmail'],
  ['gmail.com', 'gmail-smtp-in.l.google.com', 'gmail'],
  ['yahoo.com', 'mta7.am0.yahoodns.net', 'yahoo'],
  ['outlook.com', 'outlook-com.olc.protection.outlook.com', 'microsoft'],
  ['hotmail.com', 'hotmail-com.olc.protection.outlook.com', 'microsoft'],
  ['gmx.de', 'mx00.emig.gmx.net', 'generic'],
  ['web.de', 'mx-ha03.web.de', 'generic'],
  ['orange.fr', 'smtp-in.orange.fr', 'generic'],
  ['acme.example', 'mx.acme.example', 'generic'],
  ['northwind.example.com', 'mx1.northwind.example.com', 'generic'],
  ['globex.example.net', 'mail.globex.example.net', 'generic'],
  ['initech.example.org', 'aspmx.l.google.com', 'gmail'],
  ['umbrella.example', 'umbrella-example.mail.protection.outlook.com', 'microsoft'],
];
const IPS = ['192.0.2.7', '192.0.2.9', '198.51.100.27', '198.51.100.44', '203.0.113.18', '203.0.113.90'];
const OUR_IP = '203.0.113.5';

// Each deferral / bounce: [dsn, text builder(rcpt, domain, mx, ip), providers it fits ('*' = any)].
// Texts follow what these servers really say; the flattened multi-line replies are on purpose.
const DEFERRALS = [
  ['4.4.1', (r, d, mx, ip) => `connect to ${mx}[${ip}]:25: Connection timed out`, '*', true],
  ['4.2.2', (r, d, mx, ip) => `host ${mx}[${ip}] said: 452 4.2.2 <${r}>: Mailbox full (in reply to RCPT TO command)`, 'generic'],
  [
    '4.7.0',
    (r, d, mx, ip) => `host ${mx}[${ip}] said: 421 4.7.0 Try again later, closing connection. (in reply to MAIL FROM command)`,
    'generic',
  ],
  [
    '4.7.28',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 421-4.7.28 [${OUR_IP}      15] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. To protect our 421-4.7.28 users from spam, mail sent from your IP address has been temporarily 421-4.7.28 rate limited. Please visit 421-4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError to 421 4.7.28 review our Bulk Email Senders Guidelines. a640c23a62f3a-a9 - gsmtp (in reply to end of DATA command)`,
    'gmail',
  ],
  [
    '4.7.0',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 421 4.7.0 [TSS04] Messages from ${OUR_IP} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)`,
    'yahoo',
  ],
  ['4.4.3', (r, d) => `Host or domain name not found. Name service error for name=${d} type=MX: Host not found, try again`, '*', true],
  [
    '4.1.1',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 450 4.1.1 <${r}>: Recipient address rejected: unverified address: host ${mx}[${ip}] said: 550 5.1.1 <${r}>: Recipient address rejected: User unknown (in reply to RCPT TO command)`,
    'generic',
  ],
  ['4.4.2', (r, d, mx, ip) => `lost connection with ${mx}[${ip}] while receiving the initial server greeting`, '*', true],
  ['4.4.1', (r, d, mx, ip) => `delivery temporarily suspended: connect to ${mx}[${ip}]:25: Connection refused`, '*', true],
  [
    '4.7.650',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 451 4.7.650 The mail server [${OUR_IP}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775) [DB5PEPF00014B89.eurprd02.prod.outlook.com 2025-03-04T10:11:12.345Z 08DCE1A2B3C4D5E6] (in reply to MAIL FROM command)`,
    'microsoft',
  ],
];
const BOUNCES = [
  [
    '5.1.1',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 5b1f17b1804b1-43 - gsmtp (in reply to RCPT TO command)`,
    'gmail',
  ],
  [
    '5.7.1',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 550-5.7.1 [${OUR_IP}      12] Our system has detected that this 550-5.7.1 message is likely unsolicited mail. To reduce the amount of spam sent 550-5.7.1 to Gmail, this message has been blocked. For more information, go to 550 5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError (in reply to end of DATA command)`,
    'gmail',
  ],
  [
    '5.1.1',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 550 5.1.1 <${r}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)`,
    'generic',
  ],
  ['5.0.0', (r, d, mx, ip) => `host ${mx}[${ip}] said: 550 Invalid recipient <${r}> (#5.1.1) (in reply to RCPT TO command)`, 'generic'],
  [
    '5.2.2',
    (r, d, mx, ip) => `host ${mx}[${ip}] said: 552 5.2.2 <${r}>: Mailbox full: user over quota (in reply to RCPT TO command)`,
    'generic',
  ],
  [
    '5.7.1',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] refused to talk to me: 554 5.7.1 Service unavailable; Client host [${OUR_IP}] blocked using zen.spamhaus.org`,
    'generic',
  ],
  ['5.4.4', (r, d) => `Host or domain name not found. Name service error for name=${d} type=AAAA: Host not found`, '*', true],
  [
    '5.7.26',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 550-5.7.26 This mail has been blocked because the sender is 550-5.7.26 unauthenticated. Gmail requires all senders to authenticate with 550 5.7.26 either SPF or DKIM. - gsmtp (in reply to end of DATA command)`,
    'gmail',
  ],
  [
    '5.5.0',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 550 5.5.0 Requested action not taken: mailbox unavailable. [BN8NAM11FT067.eop-nam11.prod.protection.outlook.com 2025-03-04T10:11:12.345Z 08DCE1A2B3C4D5E6] (in reply to RCPT TO command)`,
    'microsoft',
  ],
  [
    '5.0.0',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 554 delivery error: dd This user doesn't have a yahoo.com account (${r}) [-5] - mta4420.mail.bf1.yahoo.com (in reply to end of DATA command)`,
    'yahoo',
  ],
  [
    '5.7.1',
    (r, d, mx, ip) =>
      `host ${mx}[${ip}] said: 550 5.7.1 Unfortunately, messages from [${OUR_IP}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). (in reply to MAIL FROM command)`,
    'microsoft',
  ],
];

function byProvider(table) {
  const map = new Map();
  for (const kind of ['gmail', 'yahoo', 'microsoft', 'generic']) {
    map.set(
      kind,
      table.filter(([, , fits]) => fits === '*' || fits === kind),
    );
  }
  return map;
}
const DEFERRALS_BY_PROVIDER = byProvider(DEFERRALS);
const BOUNCES_BY_PROVIDER = byProvider(BOUNCES);

function syslogTime(date) {
  const day = String(date.getUTCDate()).padStart(2, ' ');
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  const ss = String(date.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${day} ${hh}:${mm}:${ss}`;
}

/**
 * Writes a Postfix syslog of exactly `lines` lines (year 2025, starting 3 March): deliveries
 * (sent / bounced / deferred, deferred ones retried under the same queue ID until sent, bounced or
 * expired) mixed with the noise of a real server (smtpd connects, cleanup, qmgr, bounce
 * notifications, anvil statistics, other daemons). Pass `--year 2025` to classify it.
 */
export async function writePostfixLog(file, lines, seed = 20250303) {
  const random = createRandom(seed);
  const out = createChunkWriter(file);
  const stats = { lines: 0, bytes: 0, sent: 0, bounced: 0, deferred: 0, expired: 0, noise: 0, messages: 0, recipients: 0 };
  let clock = Date.UTC(2025, 2, 3, 0, 0, 0);
  let stampSecond = -1;
  let stamp = '';
  let queueCounter = 0x3893c1102;
  const pending = []; // deferred recipients waiting for their next attempt

  const emit = async (text, kind) => {
    if (stats.lines >= lines) return;
    clock += random.int(900); // ~0.45 s between lines on average: a busy but ordinary relay
    const second = Math.floor(clock / 1000);
    if (second !== stampSecond) {
      stampSecond = second;
      stamp = syslogTime(new Date(second * 1000));
    }
    stats.lines++;
    if (kind) stats[kind]++;
    await out.write(`${stamp} mx1 ${text}\n`);
  };
  const pid = () => 1000 + random.int(60000);
  const delays = (first) =>
    `delay=${first ? (random.next() * 3).toFixed(1) : 300 + random.int(250000)}, delays=0.${random.int(9)}/0.0${random.int(9)}/${(random.next() * 2).toFixed(1)}/${(random.next() * 2).toFixed(1)}`;

  const attempt = async (message, recipient, outcome) => {
    const [domain, mx, provider] = recipient.target;
    const ip = random.pick(IPS);
    const daemon = `postfix/smtp[${pid()}]`;
    const head = `${daemon}: ${message.qid}: to=<${recipient.address}>`;
    if (outcome === 'sent') {
      const reply =
        provider === 'gmail'
          ? `250 2.0.0 OK  ${1741000000 + Math.floor(stampSecond % 1e6)} a${random.int(1e9).toString(36)}si.${random.int(999)} - gsmtp`
          : `250 2.0.0 Ok: queued as ${nextQueueId()}`;
      await emit(`${head}, relay=${mx}[${ip}]:25, ${delays(recipient.tries === 0)}, dsn=2.0.0, status=sent (${reply})`, 'sent');
      return;
    }
    const table = (outcome === 'bounced' ? BOUNCES_BY_PROVIDER : DEFERRALS_BY_PROVIDER).get(provider);
    const [dsn, text, , local] = outcome === 'deferred' && recipient.deferral ? recipient.deferral : random.pick(table);
    const relay = local ? 'none' : `${mx}[${ip}]:25`;
    await emit(
      `${head}, relay=${relay}, ${delays(recipient.tries === 0)}, dsn=${dsn}, status=${outcome} (${text(recipient.address, domain, mx, ip)})`,
      outcome,
    );
  };

  const finishIfDone = async (message) => {
    if (message.open > 0) return;
    if (message.bounced)
      await emit(`postfix/bounce[${pid()}]: ${message.qid}: sender non-delivery notification: ${nextQueueId()}`, 'noise');
    await emit(`postfix/qmgr[2210]: ${message.qid}: removed`, 'noise');
  };
  const nextQueueId = () => (queueCounter += 1 + random.int(4000)).toString(16).toUpperCase();

  const newMessage = async () => {
    const message = { qid: nextQueueId(), sender: random.pick(SENDERS), open: 0, bounced: false };
    stats.messages++;
    const client = random.chance(0.5);
    const smtpdPid = pid();
    if (client) {
      await emit(`postfix/smtpd[${smtpdPid}]: connect from app${1 + random.int(4)}.example.com[192.0.2.${10 + random.int(5)}]`, 'noise');
      await emit(`postfix/smtpd[${smtpdPid}]: ${message.qid}: client=app1.example.com[192.0.2.10]`, 'noise');
    } else {
      await emit(`postfix/pickup[4001]: ${message.qid}: uid=1001 from=<${message.sender}>`, 'noise');
    }
    await emit(
      `postfix/cleanup[${pid()}]: ${message.qid}: message-id=<${message.qid.toLowerCase()}.${stats.messages}@example.com>`,
      'noise',
    );
    if (random.chance(0.3)) await emit(`opendkim[812]: ${message.qid}: DKIM-Signature field added (s=mail, d=example.com)`, 'noise');
    const count = random.chance(0.8) ? 1 : 2 + random.int(3);
    await emit(
      `postfix/qmgr[2210]: ${message.qid}: from=<${message.sender}>, size=${2000 + random.int(60000)}, nrcpt=${count} (queue active)`,
      'noise',
    );
    if (client)
      await emit(
        `postfix/smtpd[${smtpdPid}]: disconnect from app1.example.com[192.0.2.10] ehlo=2 starttls=1 mail=1 rcpt=${count} data=1 quit=1 commands=${6 + count}`,
        'noise',
      );
    for (let r = 0; r < count; r++) {
      const target = random.pick(RECIPIENT_DOMAINS);
      const address = `${random.pick(FIRST_NAMES).toLowerCase()}.${random.pick(LAST_NAMES).toLowerCase()}${random.int(100000)}@${target[0]}`;
      const recipient = { address, target, tries: 0, deferral: null };
      stats.recipients++;
      const roll = random.next();
      if (roll < 0.78) await attempt(message, recipient, 'sent');
      else if (roll < 0.86) {
        message.bounced = true;
        await attempt(message, recipient, 'bounced');
      } else {
        // A deferral tends to repeat with the same reason: keep it for the retries.
        recipient.deferral = random.pick(DEFERRALS_BY_PROVIDER.get(target[2]));
        await attempt(message, recipient, 'deferred');
        recipient.tries = 1;
        message.open++;
        pending.push({ message, recipient });
      }
    }
    await finishIfDone(message);
  };

  const retry = async () => {
    const index = random.int(pending.length);
    const { message, recipient } = pending[index];
    pending[index] = pending[pending.length - 1];
    pending.pop();
    recipient.tries++;
    const roll = random.next();
    if (recipient.tries > 6) {
      // qmgr gives up on the whole message: the expired line names the sender only, so its
      // recipients are known only from the earlier deferred lines of the same queue ID.
      for (let p = pending.length - 1; p >= 0; p--) {
        if (pending[p].message !== message) continue;
        pending[p] = pending[pending.length - 1];
        pending.pop();
      }
      message.open = 0;
      message.bounced = true;
      await emit(`postfix/qmgr[2210]: ${message.qid}: from=<${message.sender}>, status=expired, returned to sender`, 'expired');
      await finishIfDone(message);
      return;
    }
    if (roll < 0.55) {
      await attempt(message, recipient, 'deferred');
      pending.push({ message, recipient });
    } else if (roll < 0.9) {
      message.open--;
      await attempt(message, recipient, 'sent');
      await finishIfDone(message);
    } else {
      message.open--;
      message.bounced = true;
      await attempt(message, recipient, 'bounced');
      await finishIfDone(message);
    }
  };

  const noise = [
    () => `postfix/anvil[${pid()}]: statistics: max connection rate 3/60s for (smtp:192.0.2.10) at ${stamp}`,
    () => `postfix/scache[${pid()}]: statistics: domain lookup hits=${random.int(900)} miss=${random.int(90)} success=${random.int(100)}%`,
    () =>
      `postfix/smtpd[${pid()}]: warning: hostname unknown.example does not resolve to address 203.0.113.${random.int(250)}: Name or service not known`,
    () =>
      `postfix/smtpd[${pid()}]: NOQUEUE: reject: RCPT from unknown[203.0.113.${random.int(250)}]: 554 5.7.1 <x${random.int(999)}@example.com>: Relay access denied; from=<spam@example.biz> to=<x@example.com> proto=ESMTP helo=<pc>`,
    () => `postfix/smtp[${pid()}]: connect to ${random.pick(RECIPIENT_DOMAINS)[1]}[${random.pick(IPS)}]:25: Connection timed out`,
    () => `dovecot: imap-login: Login: user=<postmaster@example.com>, method=PLAIN, rip=192.0.2.44, lip=192.0.2.1, mpid=${pid()}, TLS`,
    () => `postfix/postscreen[${pid()}]: CONNECT from [198.51.100.${random.int(250)}]:${40000 + random.int(20000)} to [192.0.2.1]:25`,
  ];

  while (stats.lines < lines) {
    const roll = random.next();
    if (roll < 0.05) await emit(random.pick(noise)(), 'noise');
    else if (pending.length > 0 && roll < 0.05 + Math.min(0.4, pending.length / 5000)) await retry();
    else await newMessage();
  }
  stats.bytes = await out.close();
  return stats;
}

// ---------------------------------------------------------------------------------------------
// Bounce messages

/** Lists the .eml files directly in `dir` (sorted, so the repetition order is stable). */
export async function listMessages(dir) {
  const names = await readdir(dir);
  return names
    .filter((name) => name.toLowerCase().endsWith('.eml'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Copies `sources` round-robin into `targetDir` until it holds `count` messages, distinct names. */
export async function repeatMessages(sources, targetDir, count) {
  await mkdir(targetDir, { recursive: true });
  const sizes = await Promise.all(sources.map(async (source) => (await stat(source)).size));
  let bytes = 0;
  const width = String(count).length;
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length];
    const target = path.join(targetDir, `${String(i).padStart(width, '0')}-${path.basename(source)}`);
    await copyFile(source, target);
    bytes += sizes[i % sources.length];
  }
  return { messages: count, sources: sources.length, bytes };
}
