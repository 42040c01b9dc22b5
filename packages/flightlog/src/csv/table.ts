import { parseUnit, splitHeader, type Dimension, type Unit } from './units.js';

interface Column {
  index: number;
  /** Name as written, without the unit. */
  name: string;
  unit: Unit | null;
}

/**
 * Column access by name for a parsed CSV: names match case-insensitively and ignore the unit suffix
 * (`OSD.height [ft]` is found as `osd.height`). Numbers are converted to SI from the unit in the header.
 */
export class CsvTable {
  readonly #byName = new Map<string, Column>();
  readonly rows: string[][];
  readonly length: number;

  constructor(header: string[], rows: string[][]) {
    this.rows = rows;
    this.length = rows.length;
    header.forEach((cell, index) => {
      const { name, unit } = splitHeader(cell);
      const column = { index, name, unit: parseUnit(unit) };
      // Found by its name alone (`datetime`) and by name with unit (`datetime(utc)`); the first column wins.
      for (const key of [normaliseName(name), normaliseName(cell)]) if (!this.#byName.has(key)) this.#byName.set(key, column);
    });
  }

  /** True when a column of this name exists (any unit). */
  has(name: string): boolean {
    return this.#byName.has(normaliseName(name));
  }

  /** The first of `names` that exists, or null. */
  find(...names: string[]): string | null {
    for (const name of names) if (this.has(name)) return name;
    return null;
  }

  /** The unit label written in the header of a column (lower-cased), or null. */
  unitOf(name: string): string | null {
    return this.#byName.get(normaliseName(name))?.unit?.label ?? null;
  }

  /** Raw trimmed text of a cell; '' when the column or cell is missing. */
  text(name: string, row: number): string {
    const col = this.#byName.get(normaliseName(name));
    if (col === undefined) return '';
    return this.rows[row]?.[col.index] ?? '';
  }

  /** The first non-empty text of a column (from the top), or null. Values such as "(null)" and "0" count as empty when `ignore` says so. */
  firstText(name: string, ignore: (v: string) => boolean = isBlank): string | null {
    const col = this.#byName.get(normaliseName(name));
    if (col === undefined) return null;
    for (const row of this.rows) {
      const v = row[col.index];
      if (v !== undefined && !ignore(v)) return v;
    }
    return null;
  }

  /**
   * A whole column as numbers in SI units (NaN for blanks and text). `dimension` is what the caller expects:
   * a column whose unit says otherwise (a speed in a length column) is refused as all-NaN rather than
   * misread. A column without a unit is taken as already SI. Returns null when the column is missing.
   */
  numbers(name: string, dimension: Dimension = 'other'): Float64Array | null {
    const col = this.#byName.get(normaliseName(name));
    if (col === undefined) return null;
    const out = new Float64Array(this.length);
    const unit = col.unit;
    if (unit !== null && dimension !== 'other' && unit.dimension !== dimension && unit.dimension !== 'other') return out.fill(NaN);
    const convert = unit !== null && unit.dimension === dimension ? unit.toSi : null;
    for (let i = 0; i < this.length; i++) {
      const v = parseNumber(this.rows[i]![col.index]);
      out[i] = convert === null ? v : convert(v);
    }
    return out;
  }

  /** A column of booleans as 0/1 ("1", "true", "True", "yes" → 1); null when missing. */
  flags(name: string): Uint8Array | null {
    const col = this.#byName.get(normaliseName(name));
    if (col === undefined) return null;
    const out = new Uint8Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = isTrue(this.rows[i]![col.index]) ? 1 : 0;
    return out;
  }
}

/** Lower-case, no whitespace: `OSD.hSpeed` and ` xSpeed` match `osd.hspeed` and `xspeed`. */
export function normaliseName(name: string): string {
  return name.replace(/\s+/g, '').toLowerCase();
}

/** A number cell: plain decimal, optional exponent; '', "(null)", "N/A" and other text → NaN. */
export function parseNumber(cell: string | undefined): number {
  if (cell === undefined || cell === '') return NaN;
  const v = Number(cell);
  return Number.isFinite(v) ? v : NaN;
}

function isTrue(cell: string | undefined): boolean {
  if (cell === undefined) return false;
  const v = cell.toLowerCase();
  return v === '1' || v === 'true' || v === 'yes';
}

export function isBlank(v: string): boolean {
  const t = v.trim().toLowerCase();
  return t === '' || t === '(null)' || t === 'null' || t === 'n/a';
}
