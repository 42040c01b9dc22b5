import { productName } from '../products.js';

/**
 * DJI's numeric product types (the ProductType enum of DJI's own FlightRecordParsingLib), as written by
 * Litchi in its `Dronetype` column (13 = Mavic Pro on the real Litchi fixture, whose aircraft is a Mavic Pro).
 * Enum names so that `productName` gives the human name.
 */
const DJI_PRODUCT_NUMBERS: Readonly<Record<number, string>> = {
  1: 'Inspire1', 2: 'Phantom3Standard', 3: 'Phantom3Advanced', 4: 'Phantom3Pro', 7: 'Phantom4', 11: 'Matrice600',
  12: 'Phantom34K', 13: 'MavicPro', 17: 'Inspire2', 24: 'Phantom4Pro', 26: 'Spark', 27: 'Matrice600Pro',
  28: 'Phantom4Advanced', 29: 'Phantom3SE', 31: 'Matrice200', 33: 'Matrice210', 34: 'Matrice210RTK', 38: 'MavicAir',
  42: 'Mavic2', 44: 'Phantom4ProV2', 46: 'Phantom4RTK', 57: 'Phantom4Multispectral', 58: 'Mavic2Enterprise',
  59: 'MavicMini', 60: 'Matrice200V2', 61: 'Matrice210V2', 62: 'Matrice210RTKV2', 67: 'MavicAir2', 70: 'Matrice300RTK',
  73: 'FPV', 75: 'MavicAir2S', 76: 'Mini2', 77: 'Mavic3', 96: 'MiniSE', 116: 'Matrice30',
};

/** Enum name and human name for a DJI product number written as text ("13"); nulls when unknown. */
export function productFromNumber(raw: string | null): { productType: string | null; aircraftModel: string | null } {
  const n = raw === null ? NaN : Number(raw);
  if (!Number.isInteger(n) || n <= 0) return { productType: null, aircraftModel: null };
  const type = DJI_PRODUCT_NUMBERS[n] ?? String(n);
  return { productType: type, aircraftModel: productName(type) };
}

/** A model name as text ("Inspire 1", "P4 Professional", "DJI Mini 2") → the enum name when it matches one. */
export function productFromText(raw: string | null): { productType: string | null; aircraftModel: string | null } {
  const text = raw?.trim() ?? '';
  if (text === '' || /^(none|unknown|\(null\))$/i.test(text)) return { productType: null, aircraftModel: null };
  const key = simplify(text);
  for (const type of Object.values(DJI_PRODUCT_NUMBERS)) {
    const name = productName(type);
    if (name !== null && (simplify(name) === key || simplify(type) === key)) return { productType: type, aircraftModel: name };
  }
  return { productType: null, aircraftModel: text };
}

function simplify(s: string): string {
  return s.toLowerCase().replace(/^dji\s*/, '').replace(/professional/g, 'pro').replace(/[^a-z0-9]/g, '');
}
