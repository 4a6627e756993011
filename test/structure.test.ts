// The layout's rules, checked: no import cycle in src/, dashboard/src or sdk/src (type imports count, as the style guide
// says), migrations that take nothing from the live code but the engine switch, and a client package that stands alone.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative specifier names: `./x.js` is `./x.ts` (NodeNext), `./x` is `./x.ts(x)` or its index (bundler). */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Every file's local imports, `import type` and `export … from` included. */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((i) => resolveImport(file, i.fileName)).filter((t) => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components with more than one file (or a file importing itself): each is a cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    order.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, order.get(next)!));
    }
    if (low.get(node) === order.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component);
    }
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return found;
}

describe('source layout', () => {
  const sdk = sourceFiles(join(ROOT, 'sdk/src'));
  const files = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'dashboard/src')), ...sdk];

  it('reads the whole source tree', () => {
    assert.ok(files.length > 100, `only ${files.length} source files found under ${ROOT}`);
  });

  it('has no import cycle in src/, dashboard/src or sdk/src, type imports included', () => {
    const found = cycles(importGraph(files)).map((c) => c.map((f) => relative(ROOT, f)).sort());
    assert.deepEqual(found, [], `import cycles:\n${found.map((c) => `  ${c.join(' → ')}`).join('\n')}`);
  });

  it('keeps migrations frozen: they import Kysely, db/engine.ts and earlier migrations, nothing else', () => {
    const dir = join(ROOT, 'src/db/migrations');
    const allowed = (specifier: string) =>
      specifier === 'kysely' || specifier === '../engine.js' || /^\.\/\d{4}_[a-z_]+\.js$/.test(specifier);
    for (const name of readdirSync(dir).filter((n) => /^\d{4}_.*\.ts$/.test(n))) {
      const { importedFiles } = ts.preProcessFile(readFileSync(join(dir, name), 'utf8'), true, true);
      const live = importedFiles.map((i) => i.fileName).filter((s) => !allowed(s));
      assert.deepEqual(live, [], `${name} imports live code`);
    }
  });

  it('keeps @mteja/client (sdk/src) to itself: no package and no file outside it, so it installs with no dependency', () => {
    assert.ok(sdk.length > 3, 'sdk/src is read');
    for (const file of sdk) {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const outside = importedFiles
        .map((i) => i.fileName)
        .filter((s) => !resolveImport(file, s)?.startsWith(join(ROOT, 'sdk/src')));
      assert.deepEqual(outside, [], `${relative(ROOT, file)} imports from outside sdk/src`);
    }
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(
      cycles(graph).map((c) => c.sort()),
      [['a', 'b', 'c']],
    );
  });
});
