import { describe, expect, it } from 'vitest';
import { defaultLintSettings } from '../../src/lint/settings.js';
import { eml, htmlBody, lint, rulesOf } from './build.js';

describe('lint rules on small messages', () => {
  it('a plain, well-made message has no finding', async () => {
    expect(await rulesOf(eml())).toEqual([]);
  });

  it('headers: duplicate From, a line over 998 characters, unencoded 8-bit, a From without domain', async () => {
    expect(await rulesOf(eml({ rawHeaders: ['From: other@news.example.com'] }))).toEqual(['headers:error']);
    expect(await rulesOf(eml({ rawHeaders: [`X-Campaign: ${'a'.repeat(1000)}`] }))).toEqual(['headers:error']);
    expect(await rulesOf(eml({ headers: { To: 'Zoë Müller <zoe@example.org>' } }))).toEqual(['headers:warning']);
    expect(await rulesOf(eml({ headers: { From: 'newsletter' } }))).toEqual(['headers:error']);
    expect(await rulesOf(eml({ headers: { Date: null, From: null } }))).toEqual(['headers:error']);
    const missing = await lint(eml({ headers: { Date: null, From: null } }));
    expect(missing.findings.map((f) => f.where.name).sort()).toEqual(['Date', 'From']);
  });

  it('size-limit counts the encoded size: a warning over the warning size, an error over the error size', async () => {
    const settings = defaultLintSettings();
    // 30 000 bytes of attachment are 40 000 in base64.
    settings.thresholds.sizeWarningBytes = 20_000;
    settings.thresholds.sizeErrorBytes = 35_000;
    const content = Buffer.alloc(30_000, 7);
    const result = await lint(eml({ attachments: [{ name: 'notes.pdf', type: 'application/pdf', content }] }), { settings });
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([['size-limit', 'error']]);
    settings.thresholds.sizeErrorBytes = 50_000;
    expect(await rulesOf(eml({ attachments: [{ name: 'notes.pdf', type: 'application/pdf', content }] }), { settings })).toEqual([
      'size-limit:warning',
    ]);
  });

  it('visible text leaves out hidden elements and keeps alt texts apart', async () => {
    const hidden = htmlBody(
      '<div style="display: none !important">act now</div><span hidden>act now</span><div style="mso-hide:all">act now</div>',
    );
    expect(await rulesOf(eml({ html: hidden }))).toEqual([]);
    const alt = htmlBody('<img src="https://cdn.example.com/a.png" width="100" height="50" alt="Act now">');
    const result = await lint(eml({ html: alt }));
    expect(result.findings.map((f) => f.message)).toEqual([expect.stringContaining("an image's alt text")]);
  });

  it('spam-phrases: whole words, case-folded, NFKC-normalised; Chinese matched inside text', async () => {
    expect(await rulesOf(eml({ text: 'Freedom to roam: the trails are open.\n' }))).toEqual([]);
    expect(await rulesOf(eml({ text: 'Entry is FREE for members.\n' }))).toEqual(['spam-phrases:warning']);
    expect(await rulesOf(eml({ text: 'Entry is ＦＲＥＥ for members.\n' }))).toEqual(['spam-phrases:warning']);
    expect(await rulesOf(eml({ text: '春季新品现已上市,免费送货到家。\n' }))).toEqual(['spam-phrases:warning']);
    const german = await lint(eml({ text: 'Die Lieferung ist KOSTENLOS und die Rücksendung auch.\n' }));
    expect(german.findings[0]!.message).toContain('"kostenlos" (de)');
    expect(german.findings[0]!.where).toMatchObject({ area: 'text/plain', line: 1 });
  });

  it('too-many-links: links to many different domains', async () => {
    const links = ['a.com', 'b.com', 'c.com', 'd.com', 'e.com', 'f.com', 'g.com', 'h.com', 'i.com']
      .map((d) => `<a href="https://www.${d}/x">${d.slice(0, 1)} shop</a>`)
      .join(' ');
    const result = await lint(eml({ html: htmlBody(`<p>${links}</p>`) }));
    expect(result.findings.map((f) => f.rule)).toEqual(['too-many-links']);
    expect(result.findings[0]!.message).toContain('10 different domains');
  });

  it('link-mismatch: only when the text shows a web address of another domain', async () => {
    const ok = htmlBody(
      '<p><a href="https://www.example.com/a">www.example.com/a</a> <a href="mailto:info@example.net">info@example.net</a> <a href="https://click.example.net/1">Read the guide</a> <a href="https://shop.example.com/">Version 2.0</a></p>',
    );
    expect(await rulesOf(eml({ html: ok }))).toEqual([]);
    const bad = htmlBody('<p><a href="https://login.example.net/">https://www.paypal.com/signin</a></p>');
    expect(await rulesOf(eml({ html: bad }))).toEqual(['link-mismatch:error']);
  });

  it('ip-link: raw IPv4 and IPv6 hosts and javascript: links, in HTML and in plain text', async () => {
    expect(await rulesOf(eml({ html: htmlBody('<a href="javascript:alert(1)">Open</a>') }))).toEqual(['ip-link:error']);
    expect(await rulesOf(eml({ html: htmlBody('<a href="http://[2001:db8::1]/x">Open</a>') }))).toEqual(['ip-link:error']);
    expect(await rulesOf(eml({ text: 'See http://203.0.113.9/spring for the collection.\n' }))).toEqual(['ip-link:error']);
  });

  it('url-shortener: listed shorteners and hosts under a listed suffix', async () => {
    expect(await rulesOf(eml({ text: 'See https://tinyurl.com/abc for the collection.\n' }))).toEqual(['url-shortener:warning']);
    expect(await rulesOf(eml({ text: 'See https://shop.page.link/abc for the collection.\n' }))).toEqual(['url-shortener:warning']);
    expect(await rulesOf(eml({ text: 'See https://www.bitly-fans.example.com/ for the collection.\n' }))).toEqual([]);
  });

  it('dangerous-content: script, iframe, executable and macro attachments', async () => {
    expect(await rulesOf(eml({ html: htmlBody('<script>track()</script>') }))).toEqual(['dangerous-content:error']);
    expect(await rulesOf(eml({ html: htmlBody('<iframe src="https://www.example.com/video"></iframe>') }))).toEqual([
      'dangerous-content:error',
    ]);
    for (const name of ['setup.exe', 'invoice.docm', 'photo.scr', 'run.js']) {
      expect(await rulesOf(eml({ attachments: [{ name, type: 'application/octet-stream', content: Buffer.from('MZ') }] })), name).toEqual([
        'dangerous-content:error',
      ]);
    }
    expect(await rulesOf(eml({ attachments: [{ name: 'menu.pdf', type: 'application/pdf', content: Buffer.from('%PDF') }] }))).toEqual([]);
  });

  it('test-string: the GTUBE and EICAR test strings, in the text, the subject or hidden HTML; a mention of them is fine', async () => {
    const gtube = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
    const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
    const inText = await lint(eml({ text: `Hello Sam,\n\n${gtube}\n` }));
    expect(inText.findings.map((f) => [f.rule, f.severity, f.where.area, f.where.line])).toEqual([
      ['test-string', 'error', 'text/plain', 3],
    ]);
    expect(await rulesOf(eml({ html: htmlBody(`<div style="display:none">${eicar}</div>`) }))).toEqual(['test-string:error']);
    expect(await rulesOf(eml({ headers: { Subject: `Our spring collection is here ${gtube}` } }))).toEqual(['test-string:error']);
    expect(await rulesOf(eml({ text: 'Our filters pass the GTUBE and EICAR tests.\n' }))).toEqual([]);
  });

  it('list-unsubscribe: a warning, an error for bulk (--bulk, Precedence: bulk, List-Id, or the config)', async () => {
    const none = { 'List-Unsubscribe': null, 'List-Unsubscribe-Post': null };
    expect(await rulesOf(eml({ headers: none }))).toEqual(['list-unsubscribe:warning']);
    expect(await rulesOf(eml({ headers: none }), { bulk: true })).toEqual(['list-unsubscribe:error']);
    expect(await rulesOf(eml({ headers: { ...none, Precedence: 'bulk' } }))).toEqual(['list-unsubscribe:error']);
    expect(await rulesOf(eml({ headers: { ...none, 'List-Id': '<news.example.com>' } }))).toEqual(['list-unsubscribe:error']);
    const settings = defaultLintSettings();
    settings.thresholds.bulk = true;
    expect(await rulesOf(eml({ headers: none }), { settings })).toEqual(['list-unsubscribe:error']);
    // http is not https; a Post header without an https URI is not one-click either
    expect(await rulesOf(eml({ headers: { 'List-Unsubscribe': '<http://news.example.com/u/1>' } }))).toEqual(['list-unsubscribe:warning']);
  });

  it('image-only: one big image and a few words', async () => {
    const words =
      'Our spring jackets are in the shop, made by three small workshops, and each one can be repaired when a zip breaks or a seam opens after years on the trail.';
    const html = `<html><body><img src="https://cdn.example.com/a.jpg" width="600" height="900" alt="Jackets"><p>${words}</p><p><a href="https://news.example.com/unsubscribe/1">Unsubscribe</a></p></body></html>`;
    expect(await rulesOf(eml({ html }))).toEqual(['image-only:warning']);
    const small = html.replace('height="900"', 'height="200"');
    expect(await rulesOf(eml({ html: small }))).toEqual([]);
    // a tracking pixel is not an image
    const pixel = `<html><body><img src="https://t.example.com/o.gif" width="1" height="1" alt=""><p>${words} ${words}</p></body></html>`;
    expect(await rulesOf(eml({ html: pixel }))).toEqual([]);
  });

  it('punctuation: "!!" in the subject twice, "$$$" in the text', async () => {
    expect(await rulesOf(eml({ headers: { Subject: 'New jackets! In the shop!' } }))).toEqual(['punctuation:warning']);
    expect(await rulesOf(eml({ headers: { Subject: 'New jackets in the shop!' } }))).toEqual([]);
    expect(await rulesOf(eml({ text: 'Save $$$ on jackets.\n' }))).toEqual(['punctuation:warning']);
  });

  it('subject-caps and body-caps ignore short acronyms', async () => {
    expect(await rulesOf(eml({ headers: { Subject: 'New FAQ and PDF guide for UK hikers' } }))).toEqual([]);
    expect(
      await rulesOf(
        eml({ text: 'The USA, UK and EU shops take PDF and CSV orders; see the FAQ. Our spring jackets are made in small workshops.\n' }),
      ),
    ).toEqual([]);
  });

  it('lint.rules: off drops a rule, a severity re-grades it', async () => {
    const bytes = eml({ headers: { 'List-Unsubscribe': null, 'List-Unsubscribe-Post': null } });
    const settings = defaultLintSettings();
    settings.grades['list-unsubscribe'] = 'off';
    expect(await rulesOf(bytes, { settings })).toEqual([]);
    settings.grades['list-unsubscribe'] = 'error';
    expect(await rulesOf(bytes, { settings })).toEqual(['list-unsubscribe:error']);
  });
});

describe('link-mismatch counts a repeated link once', () => {
  it('two identical mismatched links are one finding, a different one is another', async () => {
    const link = '<a href="https://click.example.net/1">www.example.com</a>';
    const result = await lint(
      eml({ html: htmlBody(`<p>${link} and again ${link}, and <a href="https://click.example.net/2">www.example.com/b</a></p>`) }),
    );
    expect(result.findings.map((f) => f.rule)).toEqual(['link-mismatch', 'link-mismatch']);
  });
});
