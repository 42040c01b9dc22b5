/**
 * Aircraft the generator knows: the numbers DJI writes (details productType, OSD droneType),
 * the battery the parser expects (cell count from dji-log-parser's `battery_cell_num`) and
 * plausible defaults for a realistic flight.
 */
export interface AircraftProfile {
  /** Human model name, e.g. "Mini 4 Pro". */
  model: string;
  /** details.productType / Recover productType byte. Values the parser does not know come back as numbers. */
  productType: number;
  /** OSD droneType byte (0 = None when the parser has no name for this aircraft). */
  droneType: number;
  /** Battery cells, as the parser derives them from productType. */
  cellCount: number;
  /** Full battery capacity, mAh. */
  batteryCapacityMah: number;
  /** Hover endurance used for the battery curve, minutes. */
  enduranceMin: number;
  /** Typical cruise speed, m/s. */
  cruiseSpeedMps: number;
  /** Name the app gives a new aircraft. */
  defaultName: string;
  /** Prefixes for generated serials (aircraft, battery). */
  serialPrefix: string;
  batterySerialPrefix: string;
  /** App that flies it: platform byte, version, v13+ department. */
  app: { platform: number; version: [number, number, number]; department: number };
  /** Log format version the real app writes. */
  logVersion: number;
}

export const AIRCRAFT = {
  'Mini 4 Pro': {
    model: 'Mini 4 Pro', productType: 126, droneType: 93, cellCount: 2, batteryCapacityMah: 2590, enduranceMin: 34,
    cruiseSpeedMps: 8, defaultName: 'DJI Mini 4 Pro', serialPrefix: '1581F6Z9C', batterySerialPrefix: '7BVPL',
    app: { platform: 6, version: [1, 13, 10], department: 3 }, logVersion: 14,
  },
  'Mini 3 Pro': {
    model: 'Mini 3 Pro', productType: 103, droneType: 0, cellCount: 2, batteryCapacityMah: 2453, enduranceMin: 34,
    cruiseSpeedMps: 8, defaultName: 'DJI Mini 3 Pro', serialPrefix: '1581F4XFA', batterySerialPrefix: '52XXK',
    app: { platform: 6, version: [1, 13, 2], department: 3 }, logVersion: 14,
  },
  'Mini 2': {
    model: 'Mini 2', productType: 76, droneType: 63, cellCount: 2, batteryCapacityMah: 2250, enduranceMin: 31,
    cruiseSpeedMps: 8, defaultName: 'DJI Mini 2', serialPrefix: '3NZCJ', batterySerialPrefix: '3QFPH',
    app: { platform: 6, version: [1, 4, 8], department: 3 }, logVersion: 14,
  },
  'Mavic Air 2': {
    model: 'Mavic Air 2', productType: 67, droneType: 58, cellCount: 3, batteryCapacityMah: 3500, enduranceMin: 34,
    cruiseSpeedMps: 10, defaultName: 'Mavic Air 2', serialPrefix: '1WKDH', batterySerialPrefix: '1WKPH',
    app: { platform: 6, version: [1, 6, 4], department: 3 }, logVersion: 13,
  },
  'Air 2S': {
    model: 'Air 2S', productType: 75, droneType: 0, cellCount: 3, batteryCapacityMah: 3500, enduranceMin: 31,
    cruiseSpeedMps: 10, defaultName: 'DJI Air 2S', serialPrefix: '3N3BH', batterySerialPrefix: '3N3PH',
    app: { platform: 6, version: [1, 8, 0], department: 3 }, logVersion: 14,
  },
  'Air 3': {
    model: 'Air 3', productType: 120, droneType: 0, cellCount: 4, batteryCapacityMah: 4241, enduranceMin: 46,
    cruiseSpeedMps: 10, defaultName: 'DJI Air 3', serialPrefix: '1581F5FH', batterySerialPrefix: '4ERPL',
    app: { platform: 6, version: [1, 12, 3], department: 3 }, logVersion: 14,
  },
  'Mavic 3 Pro': {
    model: 'Mavic 3 Pro', productType: 111, droneType: 84, cellCount: 4, batteryCapacityMah: 5000, enduranceMin: 43,
    cruiseSpeedMps: 12, defaultName: 'DJI Mavic 3 Pro', serialPrefix: '1581F5BK', batterySerialPrefix: '4LFPL',
    app: { platform: 6, version: [1, 11, 4], department: 3 }, logVersion: 14,
  },
  'Mavic 2 Pro': {
    model: 'Mavic 2 Pro', productType: 42, droneType: 41, cellCount: 4, batteryCapacityMah: 3850, enduranceMin: 31,
    cruiseSpeedMps: 10, defaultName: 'Mavic 2', serialPrefix: '0M6DG', batterySerialPrefix: '0P2AF',
    app: { platform: 2, version: [4, 3, 36], department: 2 }, logVersion: 12,
  },
  'Mavic Pro': {
    model: 'Mavic Pro', productType: 13, droneType: 16, cellCount: 3, batteryCapacityMah: 3830, enduranceMin: 27,
    cruiseSpeedMps: 10, defaultName: 'Mavic Pro', serialPrefix: '08RDE', batterySerialPrefix: '093AE',
    app: { platform: 1, version: [4, 3, 3], department: 2 }, logVersion: 10,
  },
  'Phantom 4 Pro V2': {
    model: 'Phantom 4 Pro V2', productType: 44, droneType: 36, cellCount: 4, batteryCapacityMah: 5870, enduranceMin: 30,
    cruiseSpeedMps: 12, defaultName: 'Phantom 4 Pro V2', serialPrefix: '11VKF', batterySerialPrefix: '0DQAF',
    app: { platform: 2, version: [4, 3, 36], department: 2 }, logVersion: 11,
  },
  'Phantom 4 Pro': {
    model: 'Phantom 4 Pro', productType: 24, droneType: 18, cellCount: 4, batteryCapacityMah: 5870, enduranceMin: 30,
    cruiseSpeedMps: 12, defaultName: 'Phantom 4 Pro', serialPrefix: '07JDE', batterySerialPrefix: '0DQAE',
    app: { platform: 2, version: [4, 1, 2], department: 2 }, logVersion: 10,
  },
  'Phantom 3 Standard': {
    model: 'Phantom 3 Standard', productType: 2, droneType: 4, cellCount: 4, batteryCapacityMah: 4480, enduranceMin: 25,
    cruiseSpeedMps: 9, defaultName: 'Phantom 3', serialPrefix: '03Z14', batterySerialPrefix: '50649',
    app: { platform: 2, version: [3, 1, 38], department: 2 }, logVersion: 9,
  },
  'Phantom 3 Pro': {
    model: 'Phantom 3 Pro', productType: 4, droneType: 3, cellCount: 4, batteryCapacityMah: 4480, enduranceMin: 23,
    cruiseSpeedMps: 9, defaultName: 'Phantom 3 Pro', serialPrefix: '03Z02', batterySerialPrefix: '00000',
    app: { platform: 2, version: [2, 4, 3], department: 2 }, logVersion: 3,
  },
  'Inspire 1': {
    model: 'Inspire 1', productType: 1, droneType: 1, cellCount: 6, batteryCapacityMah: 4500, enduranceMin: 18,
    cruiseSpeedMps: 11, defaultName: 'Inspire 1', serialPrefix: '04100', batterySerialPrefix: '67810',
    app: { platform: 2, version: [3, 1, 38], department: 2 }, logVersion: 9,
  },
  'Matrice 350 RTK': {
    model: 'Matrice 350 RTK', productType: 170, droneType: 89, cellCount: 12, batteryCapacityMah: 5880, enduranceMin: 55,
    cruiseSpeedMps: 12, defaultName: 'djiaircraft', serialPrefix: '1581F6GKB', batterySerialPrefix: '6JYPL',
    app: { platform: 2, version: [7, 0, 3], department: 7 }, logVersion: 14,
  },
} as const satisfies Record<string, AircraftProfile>;

export type AircraftModel = keyof typeof AIRCRAFT;

export function aircraftProfile(model: AircraftModel | AircraftProfile): AircraftProfile {
  if (typeof model !== 'string') return model;
  const p = (AIRCRAFT as Record<string, AircraftProfile>)[model];
  if (!p) throw new RangeError(`unknown aircraft model "${model}" (known: ${Object.keys(AIRCRAFT).join(', ')})`);
  return p;
}

/** The parser's name for a productType byte (numbers it does not know come back as numbers). */
export const PRODUCT_TYPE_NAMES: Record<number, string> = {
  0: 'None', 1: 'Inspire1', 2: 'Phantom3Standard', 3: 'Phantom3Advanced', 4: 'Phantom3Pro', 5: 'OSMO',
  6: 'Matrice100', 7: 'Phantom4', 8: 'LB2', 9: 'Inspire1Pro', 10: 'A3', 11: 'Matrice600', 12: 'Phantom34K',
  13: 'MavicPro', 14: 'ZenmuseXT', 15: 'Inspire1RAW', 16: 'A2', 17: 'Inspire2', 18: 'OSMOPro', 19: 'OSMORaw',
  20: 'OSMOPlus', 21: 'Mavic', 22: 'OSMOMobile', 23: 'OrangeCV600', 24: 'Phantom4Pro', 25: 'N3FC', 26: 'Spark',
  27: 'Matrice600Pro', 28: 'Phantom4Advanced', 29: 'Phantom3SE', 30: 'AG405', 31: 'Matrice200', 33: 'Matrice210',
  34: 'Matrice210RTK', 38: 'MavicAir', 42: 'Mavic2', 44: 'Phantom4ProV2', 46: 'Phantom4RTK',
  57: 'Phantom4Multispectral', 58: 'Mavic2Enterprise', 59: 'MavicMini', 60: 'Matrice200V2', 61: 'Matrice210V2',
  62: 'Matrice210RTKV2', 67: 'MavicAir2', 70: 'Matrice300RTK', 73: 'FPV', 75: 'MavicAir2S', 76: 'Mini2',
  77: 'Mavic3', 96: 'MiniSE', 103: 'Mini3Pro', 111: 'Mavic3Pro', 116: 'Matrice30', 118: 'Mavic3Enterprise',
  121: 'Avata', 126: 'Mini4Pro', 152: 'Avata2', 170: 'Matrice350RTK',
};

/** What `details.productType` decodes to for a productType byte: the enum name, or the number itself. */
export function productTypeName(productType: number): string | number {
  return PRODUCT_TYPE_NAMES[productType] ?? productType;
}

/** Platform names as the parser returns them (unknown values come back as numbers). */
export function appPlatformName(platform: number): string | number {
  return ({ 1: 'IOS', 2: 'Android', 6: 'DJIFly', 10: 'Windows', 11: 'Mac', 12: 'Linux' } as Record<number, string>)[platform] ?? platform;
}
