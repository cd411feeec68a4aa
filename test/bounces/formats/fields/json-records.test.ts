import { describe, expect, it } from 'vitest';
import { numberLines } from '../../../number-lines.js';
import { readJsonRecords, type JsonItem } from '../../../../src/bounces/formats/fields/json-records.js';

async function read(text: string): Promise<JsonItem[]> {
  const items: JsonItem[] = [];
  for await (const item of readJsonRecords(numberLines(text), 'in.json')) items.push(item);
  return items;
}

const located = (items: JsonItem[]) => items.map((item) => (item.kind === 'value' ? [item.line, item.source] : [item.line, 'malformed']));

describe('readJsonRecords', () => {
  it('reads JSONL line by line, skipping blank lines, each element at its line', async () => {
    const items = await read('{"a":1}\n\n{"a":2}\r\n{"a":3}');
    expect(items.map((item) => item.kind === 'value' && item.value)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(located(items)).toEqual([
      [1, 'in.json:1'],
      [3, 'in.json:3'],
      [4, 'in.json:4'],
    ]);
  });

  it('reports a bad JSONL line with its number and keeps reading', async () => {
    const items = await read('{"a":1}\n{"a":2\n{"a":3}\n');
    expect(items[1]).toMatchObject({ kind: 'malformed', line: 2 });
    expect(items[1]?.kind === 'malformed' && items[1].message).toMatch(/^invalid JSON/);
    expect(located(items)).toEqual([
      [1, 'in.json:1'],
      [2, 'malformed'],
      [3, 'in.json:3'],
    ]);
  });

  it('reads JSONL whose first line is broken (not mistaken for a document)', async () => {
    const items = await read('{"a":\n{"a":2}\n{"a":3}\n');
    expect(located(items)).toEqual([
      [1, 'malformed'],
      [2, 'in.json:2'],
      [3, 'in.json:3'],
    ]);
  });

  it('locates the elements of a pretty-printed array at the line where each starts', async () => {
    const text = '[\n  {\n    "a": 1,\n    "s": "has ] and } and \\" inside"\n  },\n  {\n    "a": [2, {"x": 3}]\n  },\n  "x"\n]\n';
    const items = await read(text);
    expect(located(items)).toEqual([
      [2, 'in.json:2'],
      [6, 'in.json:6'],
      [9, 'in.json:9'],
    ]);
  });

  it('numbers the elements of a one-line array as file#n', async () => {
    const items = await read('[{"a":1},{"a":2},{"a":3}]');
    expect(located(items)).toEqual([
      [1, 'in.json#1'],
      [1, 'in.json#2'],
      [1, 'in.json#3'],
    ]);
  });

  it('opens a wrapper object (items / Bounces / results) and finds the lines of its elements', async () => {
    const text = '{\n  "TotalCount": 2,\n  "Note": "[not this]",\n  "Bounces": [\n    {"ID": 1},\n    {"ID": 2}\n  ]\n}\n';
    const items = await read(text);
    expect(items.map((item) => item.kind === 'value' && item.value)).toEqual([{ ID: 1 }, { ID: 2 }]);
    expect(located(items)).toEqual([
      [5, 'in.json:5'],
      [6, 'in.json:6'],
    ]);
  });

  it('reads one pretty-printed object as one element at its first line', async () => {
    const items = await read('\n\n{\n  "event-data": {"event": "failed"}\n}\n');
    expect(located(items)).toEqual([[3, 'in.json:3']]);
  });

  it('counts elements across JSONL lines that hold arrays', async () => {
    const items = await read('[{"a":1},{"a":2}]\n{"a":3}\n[{"a":4}]');
    expect(located(items)).toEqual([
      [1, 'in.json#1'],
      [1, 'in.json#2'],
      [2, 'in.json:2'],
      [3, 'in.json:3'],
    ]);
  });

  it('reports a broken document once, at the line of the error', async () => {
    const items = await read('[\n  {"a": 1},\n  {"a": 2,,}\n]\n');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'malformed', line: 3 });
  });

  it('strips a byte-order mark and yields nothing for empty input', async () => {
    expect(located(await read('\uFEFF{"a":1}\n'))).toEqual([[1, 'in.json:1']]);
    expect(located(await read('\uFEFF[\n{"a":1}\n]'))).toEqual([[2, 'in.json:2']]);
    expect(await read('')).toEqual([]);
    expect(await read('\n  \n')).toEqual([]);
  });

  it('scans a large document in linear time', async () => {
    const element = JSON.stringify({ email: 'a@example.com', reason: 'x'.repeat(200) });
    const text = `[\n${Array.from({ length: 20000 }, () => element).join(',\n')}\n]`;
    const started = Date.now();
    const items = await read(text);
    expect(items).toHaveLength(20000);
    expect(items[19999]).toMatchObject({ line: 20001, source: 'in.json:20001' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
