/** Result rows, the console table and docs/benchmarks.md. */
import fs from 'node:fs';
import os from 'node:os';

export type Verdict = 'pass' | 'miss' | 'info' | 'fail';

export interface Row {
  section: string;
  figure: string;
  value: string;
  target: string;
  verdict: Verdict;
  /** What the figure is compared to, measured in the same run. */
  reference: string;
}

/** pass/miss of `value` against an upper bound (NaN → fail: nothing was measured). */
export function atMost(value: number, limit: number): Verdict {
  if (!Number.isFinite(value)) return 'fail';
  return value <= limit ? 'pass' : 'miss';
}

const COLUMNS: Array<[keyof Row, string]> = [
  ['section', 'section'],
  ['figure', 'figure'],
  ['value', 'value'],
  ['target', 'target'],
  ['verdict', 'verdict'],
  ['reference', 'reference (same run)'],
];

export function consoleTable(rows: readonly Row[]): string {
  const widths = COLUMNS.map(([k, title]) => Math.max(title.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(COLUMNS.map(([, t]) => t)), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(COLUMNS.map(([k]) => String(r[k]))))].join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|');

export function markdownTable(rows: readonly Row[]): string {
  const head = `| ${COLUMNS.map(([, t]) => t).join(' | ')} |\n|${COLUMNS.map(() => '---').join('|')}|`;
  const body = rows.map((r) => `| ${COLUMNS.map(([k]) => (k === 'verdict' ? verdictMd(r.verdict) : md(String(r[k])))).join(' | ')} |`);
  return [head, ...body].join('\n');
}

function verdictMd(v: Verdict): string {
  return v === 'pass' ? 'pass' : v === 'miss' ? '**MISS**' : v === 'fail' ? '**FAIL**' : '—';
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  os: string;
}

export function machine(): Machine {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export const RESULTS_START = '<!-- bench:results:start (written by `pnpm bench`; edit outside these markers) -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/**
 * Writes the results block into `file` between the markers, keeping everything else (the hand-written method
 * and optimisation log). A file without markers gets the block appended.
 */
export function writeResults(file: string, block: string): void {
  const wrapped = `${RESULTS_START}\n${block.trim()}\n${RESULTS_END}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n';
  const a = text.indexOf(RESULTS_START);
  const b = text.indexOf(RESULTS_END);
  if (a >= 0 && b > a) text = text.slice(0, a) + wrapped + text.slice(b + RESULTS_END.length);
  else text = `${text.trimEnd()}\n\n${wrapped}\n`;
  fs.writeFileSync(file, text);
}
