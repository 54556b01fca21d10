// No two files import each other, directly or around a circle, type-only imports included: a shared
// type goes into a small file of its own (api/raw-body.ts, domain/modulemd/yaml-trees.ts,
// bench/history-size.ts), so every file can be read after the files it imports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = path.join(__dirname, '..', '..');
const FOLDERS = [
  'activities',
  'api',
  'bench',
  'cli',
  'clients',
  'domain',
  'platform',
  'scripts',
  'store',
  'test',
  'workers',
  'workflows',
];

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
}

/** Strongly connected components of more than one file (Tarjan), each sorted. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(path.relative(root, w));
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('imports between files', () => {
  it('form no cycle, type-only imports included', () => {
    const graph = new Map<string, string[]>();
    for (const file of FOLDERS.flatMap((f) => sourceFiles(path.join(root, f)))) {
      const imports = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles;
      graph.set(
        file,
        imports.flatMap((i) => resolveImport(file, i.fileName) ?? []),
      );
    }
    assert.ok(graph.size > 100, `only ${graph.size} files read`);
    assert.deepEqual(cycles(graph), []);
  });
});
