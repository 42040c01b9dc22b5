/**
 * The hostile-input corpus of the fuzz test: seeded mutations of real DJI logs, synthetic logs of several format
 * versions and CSV exports, plus raw junk. Same seed → same bytes, so a failure is reproducible from the seed
 * printed by the test (FUZZ_SEED=…). Every input carries a label that says how it was made; it is also the
 * upload's file name, so a ledger row leads back to its input.
 */
import fs from 'node:fs';
import path from 'node:path';
import { demoFlight, Rng, writeDjiLog } from '@dronelog/testkit';

export interface FuzzInput {
  label: string;
  bytes: Uint8Array;
}

type Mutation = (b: Uint8Array, rng: Rng) => { name: string; bytes: Uint8Array };

const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);

function setU64(b: Uint8Array, at: number, v: bigint): void {
  if (b.length >= at + 8) new DataView(b.buffer, b.byteOffset, b.byteLength).setBigUint64(at, v, true);
}

function setU16(b: Uint8Array, at: number, v: number): void {
  if (b.length >= at + 2) new DataView(b.buffer, b.byteOffset, b.byteLength).setUint16(at, v, true);
}

/** Mutations of binary DJI logs. The 100-byte prefix: u64 detail_offset, u16 detail_length, u8 version. */
export const DJI_MUTATIONS: Record<string, Mutation> = {
  bitflips: (b, rng) => {
    const out = copy(b);
    const n = rng.int(1, 64);
    for (let i = 0; i < n; i++) {
      const at = rng.int(0, out.length - 1);
      out[at]! ^= 1 << rng.int(0, 7);
    }
    return { name: `bitflips(${n})`, bytes: out };
  },
  prefixFlips: (b, rng) => {
    const out = copy(b);
    const n = rng.int(1, 8);
    for (let i = 0; i < n; i++) out[rng.int(0, Math.min(out.length, 120) - 1)]! ^= 1 << rng.int(0, 7);
    return { name: `prefix-flips(${n})`, bytes: out };
  },
  truncate: (b, rng) => {
    const at = rng.int(0, b.length - 1);
    return { name: `truncate(${at})`, bytes: b.slice(0, at) };
  },
  truncateInPrefix: (b, rng) => {
    const at = rng.int(0, 120);
    return { name: `truncate(${at})`, bytes: b.slice(0, at) };
  },
  hugeDetailOffset: (b, rng) => {
    const out = copy(b);
    const v = rng.pick([2n ** 63n, 2n ** 64n - 1n, 2n ** 32n - 1n, BigInt(out.length + 1), 0n, 99n]);
    setU64(out, 0, v);
    return { name: `detail_offset=${v}`, bytes: out };
  },
  inflatedDetailLength: (b) => {
    const out = copy(b);
    setU16(out, 8, 0xffff);
    return { name: 'detail_length=65535', bytes: out };
  },
  inflatedRecordLengths: (b, rng) => {
    // Record framing is [type u8][len u8|u16][body][0xFF]: blow up length bytes after the prefix.
    const out = copy(b);
    const n = rng.int(1, 20);
    for (let i = 0; i < n && out.length > 104; i++) {
      const at = rng.int(100, out.length - 3);
      if (rng.next() < 0.5) out[at] = 0xff;
      else setU16(out, at, 0xffff);
    }
    return { name: `record-lengths(${n})`, bytes: out };
  },
  versionByte: (b, rng) => {
    const out = copy(b);
    const v = rng.pick([0, 2, 7, 12, 13, 14, 15, 20, 21, 127, 255]);
    if (out.length > 10) out[10] = v;
    return { name: `version=${v}`, bytes: out };
  },
  zeroRange: (b, rng) => {
    const out = copy(b);
    const from = rng.int(0, out.length - 1);
    const len = rng.int(1, Math.min(4096, out.length - from));
    out.fill(0, from, from + len);
    return { name: `zero(${from},${len})`, bytes: out };
  },
  randomRange: (b, rng) => {
    const out = copy(b);
    const from = rng.int(0, out.length - 1);
    const len = rng.int(1, Math.min(512, out.length - from));
    out.set(rng.bytes(len), from);
    return { name: `random(${from},${len})`, bytes: out };
  },
  cutMiddle: (b, rng) => {
    const from = rng.int(0, b.length - 1);
    const to = rng.int(from, Math.min(b.length, from + 8192));
    const out = new Uint8Array(b.length - (to - from));
    out.set(b.subarray(0, from));
    out.set(b.subarray(to), from);
    return { name: `cut(${from},${to})`, bytes: out };
  },
  duplicateChunk: (b, rng) => {
    const from = rng.int(0, b.length - 1);
    const len = rng.int(1, Math.min(4096, b.length - from));
    const out = new Uint8Array(b.length + len);
    out.set(b.subarray(0, from + len));
    out.set(b.subarray(from), from + len);
    return { name: `dup(${from},${len})`, bytes: out };
  },
};

/** CSV text mutations (malformed exports). */
export const CSV_MUTATIONS: Record<string, (text: string, rng: Rng) => { name: string; text: string | Uint8Array }> = {
  unbalancedQuote: (t, rng) => {
    const lines = t.split('\n');
    const i = rng.int(1, Math.max(1, lines.length - 1));
    lines[i] = `"${lines[i] ?? ''}`;
    return { name: `quote@${i}`, text: lines.join('\n') };
  },
  dropHeaderColumns: (t, rng) => {
    const [head = '', ...rest] = t.split('\n');
    const cols = head.split(',');
    const keep = cols.filter(() => rng.next() < 0.5);
    return { name: `header(${keep.length}of${cols.length})`, text: [keep.join(','), ...rest].join('\n') };
  },
  headerOnly: (t) => ({ name: 'header-only', text: t.split('\n')[0] ?? '' }),
  garbageNumbers: (t, rng) => {
    const junk = ['NaN', 'Infinity', '-', '1e309', '-1e309', '9'.repeat(400), '0x1F', '', '١٢٣', 'null'];
    return { name: 'garbage-numbers', text: t.replace(/-?\d+(\.\d+)?/g, (m) => (rng.next() < 0.3 ? rng.pick(junk) : m)) };
  },
  hugeField: (t, rng) => {
    const lines = t.split('\n');
    const i = rng.int(1, Math.max(1, lines.length - 1));
    lines[i] = `${lines[i] ?? ''},${'A'.repeat(200_000)}`;
    return { name: `huge-field@${i}`, text: lines.join('\n') };
  },
  manyColumns: (t) => {
    const lines = t.split('\n');
    lines[0] = `${lines[0] ?? ''}${',x'.repeat(5000)}`;
    return { name: 'many-columns', text: lines.join('\n') };
  },
  truncateMidLine: (t, rng) => {
    const at = rng.int(0, t.length);
    return { name: `truncate(${at})`, text: t.slice(0, at) };
  },
  semicolons: (t) => ({ name: 'semicolons', text: t.replace(/,/g, ';') }),
  nulBytes: (t, rng) => {
    const b = Buffer.from(t, 'utf8');
    for (let i = 0; i < 10; i++) b[rng.int(0, b.length - 1)] = 0;
    return { name: 'nul-bytes', text: new Uint8Array(b) };
  },
  invalidUtf8: (t, rng) => {
    const b = Buffer.from(t, 'utf8');
    for (let i = 0; i < 10; i++) b[rng.int(0, b.length - 1)] = rng.pick([0xc3, 0xff, 0xfe, 0x80]);
    return { name: 'invalid-utf8', text: new Uint8Array(b) };
  },
  shuffledRows: (t, rng) => {
    const [head = '', ...rest] = t.split('\n');
    for (let i = rest.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [rest[i], rest[j]] = [rest[j]!, rest[i]!];
    }
    return { name: 'shuffled', text: [head, ...rest].join('\n') };
  },
  bomAndCrlf: (t) => ({ name: 'bom-crlf', text: `\ufeff${t.replace(/\n/g, '\r\n')}` }),
  formulaCells: (t) => ({ name: 'formulas', text: t.replace(/\n([^,\n]*),/g, "\n=cmd|' /C calc'!A0,") }),
};

/** Hand-made CSVs that are hostile on their own. */
function syntheticCsvs(rng: Rng): FuzzInput[] {
  const row = (n: number) => Array.from({ length: n }, () => rng.range(-1000, 1000).toFixed(3)).join(',');
  return [
    { label: 'csv:empty-lines', bytes: Buffer.from('\n\n\n\n') },
    { label: 'csv:one-cell', bytes: Buffer.from('latitude\n') },
    { label: 'csv:litchi-like-no-rows', bytes: Buffer.from('latitude,longitude,altitude(m),datetime(utc)\n') },
    { label: 'csv:litchi-like-bad-dates', bytes: Buffer.from('latitude,longitude,altitude(m),datetime(utc)\n1,2,3,not a date\n4,5,6,2024-13-45 99:99:99\n') },
    { label: 'csv:litchi-like-out-of-range', bytes: Buffer.from('latitude,longitude,altitude(m),datetime(utc)\n999,-999,1e300,2024-06-01 10:00:00\n') },
    { label: 'csv:airdata-like-1-row', bytes: Buffer.from('time(millisecond),datetime(utc),latitude,longitude,height_above_takeoff(feet)\n0,2024-06-01 10:00:00,47.1,8.5,0\n') },
    { label: 'csv:only-quotes', bytes: Buffer.from('"""""""""""""""""\n"""\n') },
    { label: 'csv:random-numbers', bytes: Buffer.from(`a,b,c,d,e\n${Array.from({ length: 200 }, () => row(5)).join('\n')}\n`) },
    { label: 'csv:1000-empty-columns', bytes: Buffer.from(`${','.repeat(1000)}\n${','.repeat(1000)}\n`) },
    { label: 'csv:tabs', bytes: Buffer.from('latitude\tlongitude\n1\t2\n') },
    { label: 'csv:binary-after-header', bytes: Buffer.concat([Buffer.from('latitude,longitude\n'), Buffer.from(rng.bytes(2048))]) },
    { label: 'csv:long-line', bytes: Buffer.from(`latitude,longitude\n${'1,'.repeat(100_000)}\n`) },
  ];
}

const SYNTHETIC_VERSIONS = [3, 6, 10, 12, 14];

/** Small real logs (and prefixes of bigger ones) keep each parse short. */
const REAL_LOGS = [
  'vtolabs-droner_df006_Phantom4Pro_DJIFlightRecord_2017-06-29_[12-52-14].txt',
  'vtolabs-droner_df059_Matrice210_2141-DJIFlightRecord_2018-06-14_[17-19-24].txt',
  'vtolabs-droner_df059_Matrice210_2143-DJIFlightRecord_2018-06-14_[17-19-35].txt',
  'chrisvm_mavic2_12.txt',
  'vtolabs-droner_df005_Phantom4Pro_DJIFlightRecord_2017-06-29_[11-15-17].txt',
  'chrisvm_phantom3_4.txt',
  'mikeemoo_DJIFlightRecord_2015-12-29_[19-05-48].txt',
  'vtolabs-droner_df048_MavicAir_DJIFlightRecord_2018-04-19_[11-39-45].txt',
  'aerosnap_header.txt',
  'pydjirecord_fixture_minimal_v14.txt',
  'robbrennan_V132_DJIFlightRecord_2020-06-18_[19-01-24].txt',
  'pydjirecord_DJIFlightRecord_2024-09-01_[14-55-49].txt',
];
const REAL_MAX_BYTES = 200 * 1024;
const CSV_HEAD_LINES = 40;

export interface CorpusOptions {
  seed: string;
  /** The shared fixtures folder (with dji/ and csv/), or null to use synthetic inputs only. */
  fixtures: string | null;
}

/** Builds the whole corpus (≈ 340 inputs with fixtures), deterministically from the seed. */
export function buildCorpus(opts: CorpusOptions): FuzzInput[] {
  const rng = new Rng(`${opts.seed}|corpus`);
  const out: FuzzInput[] = [];
  const mutateDji = (base: string, bytes: Uint8Array, n: number) => {
    const names = Object.keys(DJI_MUTATIONS);
    for (let i = 0; i < n; i++) {
      // Every mutation kind once per base, then seeded picks.
      const kind = i < names.length ? names[i]! : rng.pick(names);
      const m = DJI_MUTATIONS[kind]!(bytes, rng);
      out.push({ label: `${base}#${m.name}`, bytes: m.bytes });
    }
  };

  // 1. Real DJI logs: 12 mutations each (≤ 200 KB; bigger ones are cut, which is itself a hostile input).
  if (opts.fixtures) {
    for (const file of REAL_LOGS) {
      const p = path.join(opts.fixtures, 'dji', file);
      if (!fs.existsSync(p)) throw new Error(`fuzz: real log missing: ${p}`);
      const bytes = new Uint8Array(fs.readFileSync(p)).slice(0, REAL_MAX_BYTES);
      mutateDji(`real:${file.slice(0, 60)}`, bytes, 12);
    }
  }

  // 2. Synthetic logs of versions 3, 6, 10, 12, 14: the clean log once, then 14 mutations.
  for (const version of SYNTHETIC_VERSIONS) {
    const log = writeDjiLog(demoFlight({ seed: `${opts.seed}|v${version}`, durationS: 30 }), { version });
    out.push({ label: `synthetic:v${version}#clean`, bytes: log.bytes });
    mutateDji(`synthetic:v${version}`, log.bytes, 14);
  }

  // 3. CSVs: the head of each real export, mutated every way; and hand-made hostile CSVs.
  if (opts.fixtures) {
    const dir = path.join(opts.fixtures, 'csv');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8').split('\n').slice(0, CSV_HEAD_LINES).join('\n');
      for (const [kind, fn] of Object.entries(CSV_MUTATIONS)) {
        const m = fn(text, rng);
        out.push({ label: `csv:${file.slice(0, 40)}#${kind}:${m.name}`.slice(0, 200), bytes: typeof m.text === 'string' ? Buffer.from(m.text, 'utf8') : m.text });
      }
    }
  }
  out.push(...syntheticCsvs(rng));

  // 4. Raw junk: random bytes, zero bytes, DJI-looking prefixes that declare absurd sizes.
  for (let i = 0; i < 16; i++) {
    const n = rng.pick([1, 2, 99, 100, 101, 512, 4096, 65_536]);
    out.push({ label: `random:${n}#${i}`, bytes: rng.bytes(n) });
  }
  for (const n of [0, 1, 100, 101, 1000, 65_536]) out.push({ label: `zeros:${n}`, bytes: new Uint8Array(n) });
  for (const version of [1, 6, 11, 12, 13, 14]) {
    for (const offset of [2n ** 63n, 2n ** 32n, 101n]) {
      const b = new Uint8Array(160);
      setU64(b, 0, offset);
      setU16(b, 8, 0xffff);
      b[10] = version;
      b.set(rng.bytes(59), 101);
      out.push({ label: `prefix:v${version}:offset=${offset}`, bytes: b });
    }
  }
  return out;
}
