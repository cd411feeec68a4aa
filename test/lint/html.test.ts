import { describe, expect, it } from 'vitest';
import { analyzeHtml, lineAtOffset } from '../../src/lint/html.js';
import { findPhrases, fold, parsePhraseList } from '../../src/lint/phrases.js';
import { parseAuthenticationResults } from '../../src/lint/auth-results.js';

describe('the HTML walk', () => {
  it('keeps visible text with its source lines, decodes entities, leaves out head, style, script and hidden elements', () => {
    const html =
      '<html><head><title>T</title><style>p{}</style></head>\n<body>\n<p>Caf&eacute; &amp; bar</p>\n<div style="DISPLAY:NONE">secret</div><div style="font-size:0">tiny</div>\n<p>Open <b>late</b></p><script>x()</script></body></html>';
    const analysis = analyzeHtml(html);
    expect(analysis.visibleText.text.trim().split('\n')).toEqual(['Café & bar', 'Open late']);
    const at = analysis.visibleText.text.indexOf('Open');
    expect(lineAtOffset(analysis.visibleText, at)).toBe(5);
    expect(analysis.activeElements.map((e) => e.name)).toEqual(['script']);
  });

  it('gives links their text, an image link its alt text, and survives broken markup', () => {
    const analysis = analyzeHtml(
      '<p><a href="https://a.example.com/x">Read <i>more</i></a>\n<a href=" https://b.example.com/ "><img src="b.png" alt="Shop"></a><a href="https://c.example.com/">unclosed <p>para',
    );
    expect(analysis.links.map((l) => [l.href, l.text, l.line])).toEqual([
      ['https://a.example.com/x', 'Read more', 1],
      ['https://b.example.com/', 'Shop', 2],
      ['https://c.example.com/', 'unclosed para', 2],
    ]);
    expect(analysis.altText.text.trim()).toBe('Shop');
  });
});

describe('phrase matching', () => {
  const lists = [
    parsePhraseList('en', '# comment\nact now\nfree\n'),
    parsePhraseList('zh', '免费\n'),
    parsePhraseList('de', 'geld-zurück-garantie\nstraße\n'),
  ];

  it('matches whole words only, any case, across line breaks, and returns the offset in the original text', () => {
    expect(findPhrases('Freedom and carefree', lists)).toEqual([]);
    const text = 'Hello.\nACT\n  NOW and it is Free!';
    expect(findPhrases(text, lists).map((h) => [h.phrase, h.offset])).toEqual([
      ['act now', 7],
      ['free', text.indexOf('Free')],
    ]);
  });

  it('folds compatibility forms and German sharp s', () => {
    expect(findPhrases('ＡＣＴ ＮＯＷ', lists).map((h) => h.phrase)).toEqual(['act now']);
    expect(findPhrases('Die STRASSE ist gesperrt', lists).map((h) => h.phrase)).toEqual(['straße']);
    expect(findPhrases('Mit Geld-Zurück-Garantie', lists).map((h) => h.phrase)).toEqual(['geld-zurück-garantie']);
    expect(fold('Ǆ').text).toBe('dž');
  });

  it('matches Chinese inside text, which has no spaces', () => {
    expect(findPhrases('全场免费送货', lists).map((h) => [h.phrase, h.language, h.offset])).toEqual([['免费', 'zh', 2]]);
  });
});

describe('Authentication-Results', () => {
  it('reads methods, results and properties, skipping comments', () => {
    const parsed = parseAuthenticationResults(
      'mx.google.com;\r\n dkim=pass header.i=@shop.example header.s=s1 header.b=AbC;\r\n spf=softfail (google.com: domain of x@y; transitioning) smtp.mailfrom=x@y.example;\r\n dmarc=fail (p=REJECT sp=REJECT dis=NONE) header.from=shop.example',
    );
    expect(parsed.server).toBe('mx.google.com');
    expect(parsed.results).toEqual([
      { method: 'dkim', result: 'pass', properties: { 'header.i': '@shop.example', 'header.s': 's1', 'header.b': 'AbC' } },
      { method: 'spf', result: 'softfail', properties: { 'smtp.mailfrom': 'x@y.example' } },
      { method: 'dmarc', result: 'fail', properties: { 'header.from': 'shop.example' } },
    ]);
  });
});

describe('folding keeps offsets', () => {
  it('a decomposed letter matches the composed phrase, at the offset of its base letter', () => {
    const lists = [parsePhraseList('fr', 'satisfait ou remboursé\n')];
    const text = 'Ligne 1\nSatisfait ou rembourse\u0301 !';
    expect(findPhrases(text, lists).map((h) => h.offset)).toEqual([8]);
    const folded = fold('A\u0301B');
    expect(folded.text).toBe('áb');
    expect(folded.origin).toEqual([0, 2]);
  });
});

describe('the phrase data files', () => {
  it('cover en, zh, fr, de, es, pt, each naming its source', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../data/spam-phrases/', import.meta.url);
    const files = readdirSync(dir).filter((name) => name.endsWith('.txt'));
    expect(files.map((name) => name.replace('.txt', '')).sort()).toEqual(expect.arrayContaining(['de', 'en', 'es', 'fr', 'pt', 'zh']));
    for (const name of files) {
      const text = readFileSync(new URL(name, dir), 'utf8');
      expect(text, name).toMatch(/^# Sources?:/m);
      expect(parsePhraseList(name, text).phrases.length, name).toBeGreaterThan(30);
    }
  });
});
