/**
 * Imports point one way: no cycle between folders of src/, and no CLI command module importing
 * another (what commands share lives in cli helper modules, the wiring in src/pipeline/).
 * Run alone with `npx vitest run test/structure`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, fileImports, folderImports, folderOf, sourceFiles, type ImportEdge } from './import-graph.js';

const SRC = path.resolve(__dirname, '../../src');

/**
 * The layers of src/, highest first (docs/architecture.md explains each). A module may import
 * from its own folder and from folders of a lower layer only; folders of one layer do not import
 * each other. A new folder must be placed here (and in docs/architecture.md) to pass.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['index.ts'],
  ['cli'],
  ['report'],
  ['pipeline'],
  ['config'],
  ['state'],
  ['policy'],
  ['address', 'contacts', 'dns', 'bounces/formats', 'bounces/classify', 'lint/rules'],
  ['bounces/classify/reasons', 'bounces/formats/mail', 'bounces/formats/fields', 'lint'],
  ['bounces'],
  ['text', 'errors.ts', 'version.ts'],
];
const RANK = new Map(LAYERS.flatMap((folders, index) => folders.map((folder) => [folder, LAYERS.length - index] as const)));

/** A command module registers a command (`export function registerClean(program, ...)`). */
const COMMAND_MODULE = /^export function register[A-Z]\w*\(/m;

function describeCycle(members: string[], graph: ReturnType<typeof folderImports>): string {
  const arrows = members.flatMap((from) =>
    members.flatMap((to) => (graph.get(from)?.get(to) ?? []).map((edge) => `  ${edge.from} -> ${edge.to}`)),
  );
  return `folders ${members.join(', ')} import each other:\n${arrows.join('\n')}`;
}

describe('import structure of src/', () => {
  const edges = fileImports(SRC);

  it('reads the import graph (a sanity check that the reader sees imports at all)', () => {
    expect(sourceFiles(SRC).length).toBeGreaterThan(50);
    expect(edges).toContainEqual({ from: 'cli/index.ts', to: 'cli/clean.ts' });
    expect(edges.some((edge) => edge.from.startsWith('pipeline/') && edge.to.startsWith('bounces/'))).toBe(true);
  });

  it('has no import cycle between folders', () => {
    const graph = folderImports(edges);
    const found = cycles(graph).map((members) => describeCycle(members, graph));
    expect(found, found.join('\n\n')).toEqual([]);
  });

  it('imports only downwards, layer by layer', () => {
    const unplaced = [...new Set(sourceFiles(SRC).map(folderOf))].filter((folder) => !RANK.has(folder));
    expect(unplaced, 'folders missing from LAYERS').toEqual([]);
    const upwards = edges.filter((edge) => {
      const from = folderOf(edge.from);
      const to = folderOf(edge.to);
      return from !== to && RANK.get(from)! <= RANK.get(to)!;
    });
    expect(upwards.map((edge) => `${edge.from} -> ${edge.to}`)).toEqual([]);
  });

  it('has no CLI command module importing another command module', () => {
    const commands = new Set(
      sourceFiles(SRC).filter((file) => file.startsWith('cli/') && COMMAND_MODULE.test(readFileSync(path.join(SRC, file), 'utf8'))),
    );
    expect(commands.size).toBeGreaterThanOrEqual(8);
    const crossing: ImportEdge[] = edges.filter((edge) => commands.has(edge.from) && commands.has(edge.to));
    expect(crossing.map((edge) => `${edge.from} -> ${edge.to}`)).toEqual([]);
  });
});

describe('the cycle finder', () => {
  it('finds a folder cycle and names the files that make it', () => {
    const graph = folderImports([
      { from: 'a/x.ts', to: 'b/y.ts' },
      { from: 'b/y.ts', to: 'c/z.ts' },
      { from: 'c/z.ts', to: 'a/w.ts' },
      { from: 'c/z.ts', to: 'd/v.ts' },
      { from: 'a/x.ts', to: 'a/w.ts' },
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(describeCycle(['a', 'b', 'c'], graph)).toContain('c/z.ts -> a/w.ts');
  });

  it('treats a sub-folder as a folder of its own, and files directly under src/ as their own nodes', () => {
    expect(
      cycles(
        folderImports([
          { from: 'bounces/read.ts', to: 'bounces/formats/ses.ts' },
          { from: 'bounces/formats/ses.ts', to: 'bounces/types.ts' },
        ]),
      ),
    ).toEqual([['bounces', 'bounces/formats']]);
    expect(
      cycles(
        folderImports([
          { from: 'index.ts', to: 'cli/a.ts' },
          { from: 'cli/a.ts', to: 'errors.ts' },
        ]),
      ),
    ).toEqual([]);
  });
});
