import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';

/* eslint-disable @typescript-eslint/no-explicit-any -- hcl2json returns untyped JSON */
export type Json = any;

export const deployDir = fileURLToPath(new URL('..', import.meta.url));
export const repoDir = path.resolve(deployDir, '..');
export const terraformDir = path.join(deployDir, 'terraform');
export const moduleDir = path.join(terraformDir, 'modules', 'drone-logbook');
export const clusterDir = path.join(terraformDir, 'cluster');

/** Every .tf file under deploy/terraform (provider caches in .terraform/ excluded). */
export function listTfFiles(dir: string = terraformDir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.terraform') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTfFiles(full));
    else if (entry.name.endsWith('.tf')) out.push(full);
  }
  return out.sort();
}

function deepMerge(a: Json, b: Json): Json {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const out: Json = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return b;
}

export interface TfModule {
  dir: string;
  files: string[];
  doc: Json;
}

/** Parses every .tf file (offline: hcl2json is Go compiled to WASM) and merges them per directory. */
export async function loadTerraform(): Promise<Map<string, TfModule>> {
  const modules = new Map<string, TfModule>();
  for (const file of listTfFiles()) {
    const dir = path.dirname(file);
    const doc = await parse(path.basename(file), fs.readFileSync(file, 'utf8'));
    const mod = modules.get(dir) ?? { dir, files: [], doc: {} };
    mod.files.push(file);
    mod.doc = deepMerge(mod.doc, doc);
    modules.set(dir, mod);
  }
  return modules;
}

/** Resolves `${var.x}`, `${tostring(var.x)}` and `${local.x}` (whole or interpolated) to the defaults. */
export class Resolver {
  constructor(private readonly doc: Json) {}

  variable(name: string): Json {
    const v = this.doc.variable?.[name]?.[0];
    if (!v) throw new Error(`no variable "${name}"`);
    if (!('default' in v)) throw new Error(`variable "${name}" has no default`);
    return v.default;
  }

  local(name: string): Json {
    for (const block of this.doc.locals ?? []) if (name in block) return block[name];
    throw new Error(`no local "${name}"`);
  }

  resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
    }
    if (typeof value !== 'string') return value;
    let m = /^\$\{var\.([a-z0-9_]+)\}$/.exec(value);
    if (m) return this.variable(m[1]!);
    m = /^\$\{tostring\(var\.([a-z0-9_]+)\)\}$/.exec(value);
    if (m) return String(this.variable(m[1]!));
    m = /^\$\{local\.([a-z0-9_]+)\}$/.exec(value);
    if (m) return this.resolve(this.local(m[1]!));
    // Interpolated strings made only of literals and simple references.
    if (/\$\{(var|local)\.[a-z0-9_]+\}/.test(value) && !/\$\{(?!(var|local)\.[a-z0-9_]+\})/.test(value)) {
      return value.replace(/\$\{(var|local)\.([a-z0-9_]+)\}/g, (_all, kind: string, name: string) =>
        String(kind === 'var' ? this.variable(name) : this.resolve(this.local(name))),
      );
    }
    return value;
  }
}

export function resource(doc: Json, type: string, name: string): Json {
  const r = doc.resource?.[type]?.[name]?.[0];
  if (!r) throw new Error(`no resource ${type}.${name}`);
  return r;
}

/** First (only) element of a nested block list, e.g. one(spec, 'template'). */
export function one(block: Json, key: string): Json {
  const v = block?.[key];
  if (!Array.isArray(v) || v.length === 0) throw new Error(`no block "${key}"`);
  return v[0];
}

/** All resources of one type, as [name, body] pairs. */
export function resourcesOf(doc: Json, type: string): [string, Json][] {
  return Object.entries(doc.resource?.[type] ?? {}).map(([name, list]) => [name, (list as Json[])[0]]);
}

/**
 * Loads a module of the API's source (TypeScript, transformed by vitest) so the deployment can be checked against the
 * app's own rules: its config parser and its Host check. Imported by path at run time, not by a static import, so the
 * deploy package's typecheck stays within deploy/ (the caller states the shape it relies on).
 */
export async function importAppSource<T>(relativeToApiSrc: string): Promise<T> {
  const file = path.join(repoDir, 'apps', 'api', 'src', relativeToApiSrc);
  return (await import(/* @vite-ignore */ file)) as T;
}
