import { describe, expect, it } from 'vitest';
import type { DjiDetails } from '../../src/dji/frame.js';
import { appFamily, appLabel, buildHeader, totalDistanceIsKm } from '../../src/dji/header.js';
import { cleanSerial, cleanText, placeName, preferSerial } from '../../src/dji/strings.js';
import { productName, productTypeToString } from '../../src/products.js';

function details(overrides: Partial<DjiDetails> = {}): DjiDetails {
  return {
    subStreet: 'Map Loading', street: '', city: 'Map Loading', area: '',
    startTime: '2021-09-06T02:23:47.611Z', longitude: -122.6266, latitude: 47.5727,
    totalDistance: 0.7390919327735901, totalTime: 1254.4, maxHeight: 117, maxHorizontalSpeed: 8.1, maxVerticalSpeed: 3.2,
    captureNum: 0, videoTime: 0, takeOffAltitude: 0, productType: 'Mini2', aircraftName: 'DJI Mini 2',
    aircraftSn: '3NZCJ270048FFC', cameraSn: '', rcSn: '396LHAK001031U', batterySn: '3QFPHC1CA520GD',
    appPlatform: 'DJIFly', appVersion: '1.4.8',
    ...overrides,
  };
}

describe('product names', () => {
  it('names the parser’s enum strings', () => {
    expect(productName('Mavic2')).toBe('Mavic 2');
    expect(productName('Phantom3Standard')).toBe('Phantom 3 Standard');
    expect(productName('Mini2')).toBe('Mini 2');
    expect(productName('Matrice350RTK')).toBe('Matrice 350 RTK');
    expect(productName('Inspire1')).toBe('Inspire 1');
  });

  it('names raw numbers the parser does not know', () => {
    expect(productName(120)).toBe('Air 3');
    expect(productName(126)).toBe('Mini 4 Pro');
    expect(productName(178)).toBe('Matrice 4TD');
    expect(productName({ Unknown: 120 })).toBe('Air 3'); // the shape the .d.ts promises
  });

  it('returns null for unknown or empty product types, keeping the raw value as a string', () => {
    expect(productName(250)).toBeNull();
    expect(productTypeToString(250)).toBe('250');
    expect(productName('None')).toBeNull();
    expect(productTypeToString('None')).toBeNull();
    expect(productTypeToString(undefined)).toBeNull();
  });
});

describe('string cleaning', () => {
  it('cuts names at the first NUL and trims, keeping CJK', () => {
    expect(cleanText('P4P-2\0\0\u0093\u00a7garbage')).toBe('P4P-2');
    expect(cleanText('  Red Cat  ')).toBe('Red Cat');
    expect(cleanText('瞿宗耀的无人机逗你玩h')).toBe('瞿宗耀的无人机逗你玩h');
    expect(cleanText('无人机\ufffd')).toBe('无人机'); // a character cut at the field boundary
    expect(cleanText('')).toBeNull();
    expect(cleanText('\0\0')).toBeNull();
  });

  it('turns empty and all-zero serials into null', () => {
    expect(cleanSerial('0000000000')).toBeNull();
    expect(cleanSerial(' 03Z0055908\0')).toBe('03Z0055908');
    expect(cleanSerial('')).toBeNull();
  });

  it('prefers the Recover serial when the header one is missing, cut by a NUL, or a truncated prefix', () => {
    expect(preferSerial('0BDDF5H00\u000000RA', '0BDDF5H00100RA')).toBe('0BDDF5H00100RA');
    expect(preferSerial('', '0DQAF5E03205Z9')).toBe('0DQAF5E03205Z9');
    expect(preferSerial('0DQAF5E03', '0DQAF5E03205Z9')).toBe('0DQAF5E03205Z9');
    expect(preferSerial('0410059536', '')).toBe('0410059536');
    expect(preferSerial('0410059536', '0410059999')).toBe('0410059536'); // header wins on disagreement
    expect(preferSerial('0000000000', '0000000000')).toBeNull();
  });

  it('joins address parts without the "Map Loading" placeholder', () => {
    expect(placeName(['Humacao', '', 'PR', ''])).toBe('Humacao, PR');
    expect(placeName(['Map Loading', '', 'Map Loading', ''])).toBeNull();
  });
});

describe('totalDistance unit (km for DJI Fly / DJI Pilot, m for DJI GO)', () => {
  const short = { totalDistance: 0.739, totalTime: 1254.4, maxHorizontalSpeed: 8.1 };
  it('reads DJI Fly logs as km', () => {
    expect(totalDistanceIsKm({ version: 14, appPlatform: 'DJIFly', department: 3 }, short)).toBe(true);
    expect(totalDistanceIsKm({ version: 12, appPlatform: 'DJIFly', department: null }, short)).toBe(true);
  });
  it('reads v14 DJI Pilot logs (Android platform, department 7) as km', () => {
    expect(totalDistanceIsKm({ version: 14, appPlatform: 'Android', department: 7 }, { totalDistance: 0.042, totalTime: 51.1, maxHorizontalSpeed: 6 })).toBe(true);
  });
  it('reads DJI GO / GO 4 logs as metres, including v14 GO 4 4.12 (department 8)', () => {
    expect(totalDistanceIsKm({ version: 11, appPlatform: 'Android', department: null }, short)).toBe(false);
    expect(totalDistanceIsKm({ version: 14, appPlatform: 'IOS', department: 8 }, { totalDistance: 170.4, totalTime: 94.7, maxHorizontalSpeed: 10 })).toBe(false);
    expect(totalDistanceIsKm({ version: 14, appPlatform: 'IOS', department: 2 }, short)).toBe(false);
  });
  it('falls back to metres when km would be physically impossible', () => {
    expect(totalDistanceIsKm({ version: 14, appPlatform: 'Android', department: 1 }, { totalDistance: 170.4, totalTime: 94.7, maxHorizontalSpeed: 10 })).toBe(false);
  });
  it('converts in buildHeader', () => {
    expect(buildHeader(details(), 14, 3).distanceM).toBeCloseTo(739.09, 2);
    expect(buildHeader(details({ appPlatform: 'Android', totalDistance: 390.84, totalTime: 305.6, maxHorizontalSpeed: 13.2 }), 11, null).distanceM).toBeCloseTo(390.84, 2);
  });
});

describe('buildHeader', () => {
  it('maps the details into a LogHeader', () => {
    expect(buildHeader(details(), 14, 3)).toEqual({
      format: 'dji-txt', version: 14, encrypted: true,
      aircraftName: 'DJI Mini 2', aircraftModel: 'Mini 2', productType: 'Mini2',
      aircraftSerial: '3NZCJ270048FFC', batterySerial: '3QFPHC1CA520GD', cameraSerial: null, rcSerial: '396LHAK001031U',
      startTime: '2021-09-06T02:23:47.611Z', durationS: 1254.4, distanceM: expect.closeTo(739.09, 2) as unknown as number,
      maxHeightM: 117, latitude: 47.5727, longitude: -122.6266, app: 'DJIFly 1.4.8', place: null,
    });
  });

  it('drops ~0 and garbage coordinates and implausible start times', () => {
    const zero = buildHeader(details({ latitude: -1.7e-11, longitude: -1.1e-11 }), 11, null);
    expect([zero.latitude, zero.longitude]).toEqual([null, null]);
    const garbage = buildHeader(details({ latitude: -9.7e119, longitude: -4.4e-20 }), 8, null);
    expect([garbage.latitude, garbage.longitude]).toEqual([null, null]);
    expect(buildHeader(details({ startTime: '1970-01-01T00:00:00Z' }), 8, null).startTime).toBeNull();
    expect(buildHeader(details({ startTime: '2018-04-07T20:24:07Z' }), 8, null).startTime).toBe('2018-04-07T20:24:07.000Z');
  });

  it('names the app, including platforms the parser returns as numbers', () => {
    expect(appLabel('Android', '4.3.4')).toBe('Android 4.3.4');
    expect(appLabel(5, '4.2.16')).toBe('Platform 5 4.2.16');
    expect(appLabel(0, '0.0.0')).toBeNull();
    expect(appFamily({ version: 14, appPlatform: 'DJIFly', department: 3 })).toBe('DJI Fly');
    expect(appFamily({ version: 14, appPlatform: 'Android', department: 7 })).toBe('DJI Pilot');
    expect(appFamily({ version: 14, appPlatform: 'IOS', department: 8 })).toBe('DJI GO');
  });
});
