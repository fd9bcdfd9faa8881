#!/usr/bin/env node
// What a visitor downloads to see the catalog: the entry script with everything it
// imports statically, the styles, and the core of one language's messages. Prints raw, gzip and
// Brotli sizes (the precompressed files the server sends) and fails when the
// JavaScript a visitor downloads compressed with gzip exceeds the budget.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUDGET_GZIP_JS = 80 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

const size = (file) => (existsSync(file) ? statSync(file).size : 0);
const sizes = (file) => {
  const path = join(dist, file);
  const raw = size(path);
  // Files too small to precompress travel as they are.
  return { raw, gzip: size(`${path}.gz`) || raw, brotli: size(`${path}.br`) || raw };
};

const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
const seen = new Set();
const js = [];
const css = new Set();
(function walk(chunk) {
  if (seen.has(chunk.file)) return;
  seen.add(chunk.file);
  js.push(chunk.file);
  for (const file of chunk.css ?? []) css.add(file);
  for (const key of chunk.imports ?? []) walk(manifest[key]);
})(entry);
// The words of those pages; the rest of the catalogue comes with the first other page.
const spanish = Object.values(manifest).find((chunk) => chunk.src?.endsWith('i18n/core/es.json'));
if (!spanish) {
  console.error('The Spanish core catalogue (src/lib/i18n/core/es.json) is not a chunk of its own.');
  process.exit(1);
}
js.push(spanish.file);

const total = (files) =>
  files.map(sizes).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
const all = (pattern) =>
  total(
    Object.values(manifest)
      .map((chunk) => chunk.file)
      .filter((file) => pattern.test(file)),
  );
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const row = (label, s) => console.log(`${label.padEnd(34)} ${kb(s.raw).padStart(10)} ${kb(s.gzip).padStart(10)} ${kb(s.brotli).padStart(10)}`);

console.log(`${''.padEnd(34)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)} ${'brotli'.padStart(10)}`);
const firstJs = total(js);
row('catalog first load: JavaScript', firstJs);
row('catalog first load: styles', total([...css]));
row('all JavaScript chunks', all(/\.js$/));
if (firstJs.gzip > BUDGET_GZIP_JS) {
  console.error(`The catalog's first load is ${kb(firstJs.gzip)} of JavaScript (gzip); the budget is ${kb(BUDGET_GZIP_JS)}.`);
  process.exit(1);
}
