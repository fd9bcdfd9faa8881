/**
 * The `core` part of the catalogue travels with the app; `pages` comes with the first
 * page beyond it. Pages of the first download (and everything they import) must find
 * their words in `core`, and `core` should hold nothing else, or it weighs on every
 * first visit. This reads the sources as the bundler would: `main.ts` and its static
 * imports, and in them every message key written out (`'catalog.title'`) or begun
 * (`` `enrolmentState.${state}` ``, `'problem.'`, a plural's base `'catalog.total'`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import core from './core/es.json';
import pages from './pages/es.json';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The modules of the first download: `main.ts` and what it imports statically (`import()` is not followed). */
function firstDownload(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      if (m[1] || !m[2].startsWith('.')) continue;
      const base = resolve(dirname(file), m[2]);
      const found = [base, `${base}.ts`, `${base}/index.ts`].find((c) => existsSync(c) && statSync(c).isFile());
      if (found && /\.(ts|svelte)$/.test(found)) visit(found);
    }
  };
  visit(entry);
  return [...seen];
}

/** The keys a module's text names, written out or begun. */
function keysNamed(text: string, keys: readonly string[]): Set<string> {
  const named = new Set<string>();
  for (const m of text.matchAll(/['"`]([A-Za-z][\w-]*(?:\.[\w-]+)*\.?)(['"`]|\$\{)/g)) {
    const literal = m[1];
    if (!literal.includes('.')) continue;
    const begun = m[2] === '${' || literal.endsWith('.') || !keys.includes(literal);
    if (!begun) named.add(literal);
    else {
      const stem = literal.endsWith('.') ? literal : `${literal}.`;
      for (const key of keys) if (key.startsWith(stem)) named.add(key);
    }
  }
  return named;
}

describe('the catalogue that comes with the app', () => {
  const keys = [...Object.keys(core), ...Object.keys(pages)];
  const modules = firstDownload(resolve(SRC, 'main.ts'));
  const used = new Map<string, string>();
  for (const file of modules) {
    for (const key of keysNamed(readFileSync(file, 'utf8'), keys)) if (!used.has(key)) used.set(key, relative(SRC, file));
  }

  it('finds the first download from main.ts', () => {
    expect(modules.map((file) => relative(SRC, file))).toEqual(
      expect.arrayContaining(['App.svelte', 'pages/Catalog.svelte', 'pages/SignIn.svelte', 'lib/errors.ts']),
    );
  });

  it('holds every message the first download uses', () => {
    const elsewhere = [...used].filter(([key]) => !(key in core)).map(([key, file]) => `${key} (${file})`);
    expect(elsewhere, 'move these keys from pages/*.json to core/*.json').toEqual([]);
  });

  it('holds nothing the first download does not use', () => {
    const unused = Object.keys(core).filter((key) => !used.has(key));
    expect(unused, 'move these keys from core/*.json to pages/*.json').toEqual([]);
  });
});
