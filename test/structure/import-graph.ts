/**
 * The import graph of src/, read with the TypeScript compiler's own pre-processor (static
 * imports, re-exports and dynamic `import()`), at two grains: files and folders. A file directly
 * under src/ is a node of its own at folder grain (src/index.ts imports everything and
 * src/errors.ts is imported by everything; neither is a layer).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  from: string;
  to: string;
}

/** Every .ts file under `root`, as paths relative to it with forward slashes. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(toSlash(relative(root, path)));
    }
  };
  walk(root);
  return files;
}

/** File -> file edges for relative imports that land on a file under `root`. */
export function fileImports(root: string): ImportEdge[] {
  const files = new Set(sourceFiles(root));
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const info = ts.preProcessFile(text, true, true);
    for (const specifier of info.importedFiles.map((entry) => entry.fileName)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveSpecifier(root, file, specifier, files);
      if (target !== null) edges.push({ from: file, to: target });
    }
  }
  return edges;
}

function resolveSpecifier(root: string, from: string, specifier: string, files: Set<string>): string | null {
  const absolute = resolve(root, dirname(from), specifier);
  const base = toSlash(relative(root, absolute));
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
  return candidates.find((candidate) => files.has(candidate)) ?? null;
}

/** The folder a file belongs to; a file directly under the root is its own node. */
export function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? file : file.slice(0, slash);
}

/** Folder -> folder edges, each with the file edges that make it. */
export function folderImports(edges: ImportEdge[]): Map<string, Map<string, ImportEdge[]>> {
  const graph = new Map<string, Map<string, ImportEdge[]>>();
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from === to) continue;
    const targets = graph.get(from) ?? new Map<string, ImportEdge[]>();
    const list = targets.get(to) ?? [];
    list.push(edge);
    targets.set(to, list);
    graph.set(from, targets);
  }
  return graph;
}

/** Strongly connected components of more than one node (Tarjan), each sorted. */
export function cycles(graph: Map<string, Map<string, unknown>>): string[][] {
  const nodes = new Set<string>();
  for (const [from, targets] of graph) {
    nodes.add(from);
    for (const to of targets.keys()) nodes.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...nodes].sort()) if (!index.has(node)) visit(node);
  return found;
}

function toSlash(path: string): string {
  return path.split(sep).join('/');
}
