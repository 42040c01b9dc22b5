/**
 * Human names for DJI product types.
 *
 * dji-log-parser returns `details.productType` as an enum name ("Mavic2") for the ids it knows and as a
 * plain number for the others (its .d.ts says `{ Unknown: n }`, but the value really is a number).
 * Numbers listed here were identified from real logs (120 Air 3, 178 Matrice 4TD) or from other
 * parsers' tables (113 Mini 2 SE in pydjirecord); 126 is listed too in case a parser build returns it raw.
 */

const BY_ENUM_NAME: Readonly<Record<string, string>> = {
  Inspire1: 'Inspire 1',
  Phantom3Standard: 'Phantom 3 Standard',
  Phantom3Advanced: 'Phantom 3 Advanced',
  Phantom3Pro: 'Phantom 3 Professional',
  OSMO: 'Osmo',
  Matrice100: 'Matrice 100',
  Phantom4: 'Phantom 4',
  LB2: 'Lightbridge 2',
  Inspire1Pro: 'Inspire 1 Pro',
  A3: 'A3 flight controller',
  Matrice600: 'Matrice 600',
  Phantom34K: 'Phantom 3 4K',
  MavicPro: 'Mavic Pro',
  ZenmuseXT: 'Zenmuse XT',
  Inspire1RAW: 'Inspire 1 RAW',
  A2: 'A2 flight controller',
  Inspire2: 'Inspire 2',
  OSMOPro: 'Osmo Pro',
  OSMORaw: 'Osmo RAW',
  OSMOPlus: 'Osmo+',
  Mavic: 'Mavic',
  OSMOMobile: 'Osmo Mobile',
  OrangeCV600: 'Orange CV600',
  Phantom4Pro: 'Phantom 4 Pro',
  N3FC: 'N3 flight controller',
  Spark: 'Spark',
  Matrice600Pro: 'Matrice 600 Pro',
  Phantom4Advanced: 'Phantom 4 Advanced',
  Phantom3SE: 'Phantom 3 SE',
  AG405: 'Agras AG405',
  Matrice200: 'Matrice 200',
  Matrice210: 'Matrice 210',
  Matrice210RTK: 'Matrice 210 RTK',
  MavicAir: 'Mavic Air',
  Mavic2: 'Mavic 2',
  Phantom4ProV2: 'Phantom 4 Pro V2.0',
  Phantom4RTK: 'Phantom 4 RTK',
  Phantom4Multispectral: 'P4 Multispectral',
  Mavic2Enterprise: 'Mavic 2 Enterprise',
  MavicMini: 'Mavic Mini',
  Matrice200V2: 'Matrice 200 V2',
  Matrice210V2: 'Matrice 210 V2',
  Matrice210RTKV2: 'Matrice 210 RTK V2',
  MavicAir2: 'Mavic Air 2',
  Matrice300RTK: 'Matrice 300 RTK',
  FPV: 'DJI FPV',
  MavicAir2S: 'Air 2S',
  Mini2: 'Mini 2',
  Mavic3: 'Mavic 3',
  MiniSE: 'Mini SE',
  Mini3Pro: 'Mini 3 Pro',
  Mavic3Pro: 'Mavic 3 Pro',
  Mini2SE: 'Mini 2 SE',
  Matrice30: 'Matrice 30',
  Mavic3Enterprise: 'Mavic 3 Enterprise',
  Avata: 'Avata',
  Mini4Pro: 'Mini 4 Pro',
  Avata2: 'Avata 2',
  Matrice350RTK: 'Matrice 350 RTK',
};

/** Raw numeric product types the parser does not name. */
const BY_NUMBER: Readonly<Record<number, string>> = {
  113: 'Mini 2 SE',
  120: 'Air 3',
  126: 'Mini 4 Pro',
  178: 'Matrice 4TD',
};

/**
 * The parser's productType as a string: enum names as they are, numbers as decimal strings,
 * `{ Unknown: n }` objects (what the .d.ts promises) as "n". "None", empty or missing → null.
 */
export function productTypeToString(raw: unknown): string | null {
  if (typeof raw === 'string') return raw === '' || raw === 'None' ? null : raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw === 0 ? null : String(raw);
  if (raw !== null && typeof raw === 'object' && 'Unknown' in raw) {
    return productTypeToString((raw as { Unknown: unknown }).Unknown);
  }
  return null;
}

/** Human model name, e.g. "Mavic 2" for "Mavic2" and "Air 3" for 120; null when unknown. */
export function productName(raw: unknown): string | null {
  const type = productTypeToString(raw);
  if (type === null) return null;
  const byName = BY_ENUM_NAME[type];
  if (byName !== undefined) return byName;
  if (/^\d+$/.test(type)) return BY_NUMBER[Number(type)] ?? null;
  return null;
}
