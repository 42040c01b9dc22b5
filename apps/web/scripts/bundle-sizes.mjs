// Gzip sizes of what the browser loads, from the Vite manifest of the last `vite build`.
// Usage: node scripts/bundle-sizes.mjs   (after pnpm build)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const out = '.svelte-kit/output/client';
const manifest = JSON.parse(fs.readFileSync(path.join(out, '.vite/manifest.json'), 'utf8'));
const byFile = new Map(Object.values(manifest).map((v) => [v.file, v]));

function closure(keys) {
  const seen = new Set();
  const stack = [...keys];
  while (stack.length) {
    const k = stack.pop();
    const e = manifest[k];
    if (!e || seen.has(e.file)) continue;
    seen.add(e.file);
    for (const i of e.imports ?? []) stack.push(i);
  }
  return seen;
}
const gz = (files) => [...files].reduce((s, f) => s + zlib.gzipSync(fs.readFileSync(path.join('build', f)), { level: 9 }).length, 0);
const raw = (files) => [...files].reduce((s, f) => s + fs.statSync(path.join('build', f)).size, 0);
const key = (pred) => Object.keys(manifest).filter(pred);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const entry = key((k) => manifest[k].isEntry && (k.endsWith('client/entry.js') || k.endsWith('client-optimized/app.js') || k.endsWith('nodes/0.js')));
const listPage = key((k) => k.endsWith('nodes/2.js'));
const flightPage = key((k) => k.endsWith('nodes/3.js'));
const initial = closure([...entry, ...listPage]);
const flight = new Set([...closure(flightPage)].filter((f) => !initial.has(f)));
const uplot = new Set([...closure(key((k) => k.includes('uplot/dist')))].filter((f) => !initial.has(f) && !flight.has(f)));
const mapKeys = key((k) => manifest[k].isDynamicEntry && k.endsWith('src/lib/map/map-libs.ts'));
const map = new Set([...closure(mapKeys)].filter((f) => !initial.has(f) && !flight.has(f)));
const worker = fs.readdirSync(path.join('build/_app/immutable/assets')).filter((f) => f.startsWith('maplibre-gl-worker')).map((f) => `_app/immutable/assets/${f}`);
const css = [...initial].flatMap((f) => byFile.get(f)?.css ?? []);

const rows = [
  ['initial JS (shell + flight list, /)', initial],
  ['flight page route JS (on navigation)', flight],
  ['uPlot chunk (lazy, flight page)', uplot],
  ['map chunk: maplibre-gl + deck.gl (lazy)', map],
  ['maplibre worker (lazy, in a Web Worker)', new Set(worker)],
  ['initial CSS', new Set(css)],
];
for (const [label, files] of rows) console.log(`${label.padEnd(44)} ${kb(gz(files)).padStart(9)} gzip  ${kb(raw(files)).padStart(10)} raw  (${files.size} files)`);
