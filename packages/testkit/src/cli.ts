#!/usr/bin/env node
/**
 * `pnpm --filter @dronelog/testkit fixtures [outDir]`: writes the demo data set.
 * outDir defaults to ./data/demo-logs, relative to the directory the command was started from
 * (pnpm runs scripts inside the package, so INIT_CWD is used when present).
 */
import { resolve } from 'node:path';
import { writeDemoSet } from './demo-set.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: fixtures [outDir]   (default ./data/demo-logs)');
  process.exit(0);
}
const base = process.env.INIT_CWD ?? process.cwd();
const outDir = resolve(base, args[0] ?? './data/demo-logs');
const result = await writeDemoSet(outDir);
for (const f of result.files) {
  console.log(`v${String(f.version).padStart(2)}  ${f.fileName}  ${f.aircraftModel} "${f.aircraftName}"  ${f.location}${f.keychainsPath ? '  (+ keychains)' : ''}`);
}
console.log(`wrote ${result.files.length} demo logs to ${result.dir}`);
