import { describe, expect, it } from 'vitest';
import { FlightLogError, parseFlightLog, readLogHeader } from '../../src/index.js';
import { detectCsvFormat } from '../../src/csv/parse-csv.js';
import { looksLikeCsvText, readCsvDocument } from '../../src/csv/text.js';
import { utf8 } from './csv-fixtures.js';

const doc = (header: string, comments: string[] = []) => ({ comments, header: header.split(',') });

describe('format detection by content', () => {
  it('tells the CSV formats from their header rows', () => {
    expect(detectCsvFormat(doc('time(millisecond),datetime(utc),latitude,longitude,flycState'))).toBe('airdata-csv');
    expect(detectCsvFormat(doc('latitude,longitude,altitude(m),datetime(utc),isflying'))).toBe('litchi-csv');
    expect(detectCsvFormat(doc('latitude,longitude,datetime(local),Dronetype'))).toBe('litchi-csv');
    expect(detectCsvFormat(doc('CUSTOM.date [local],CUSTOM.updateTime [local],OSD.latitude,OSD.longitude'))).toBe('phantomhelp-csv');
    expect(detectCsvFormat(doc('time_ms,latitude,longitude,height_m'))).toBe('dronelog-csv');
    expect(detectCsvFormat(doc('a,b', ['dronelog-csv 1']))).toBe('dronelog-csv');
  });

  it('needs every distinguishing column (Open DroneLog’s rules)', () => {
    expect(detectCsvFormat(doc('time(millisecond),datetime(utc),latitude,longitude'))).toBeNull();
    expect(detectCsvFormat(doc('latitude,longitude,datetime(utc)'))).toBeNull();
    expect(detectCsvFormat(doc('OSD.latitude,OSD.longitude'))).toBeNull();
    expect(detectCsvFormat(doc('date,lat,lon,alt'))).toBeNull();
  });

  it('treats text as CSV only when it has no NUL, is UTF-8 and its first line has a delimiter', () => {
    expect(looksLikeCsvText(utf8('a,b\n1,2\n'))).toBe(true);
    expect(looksLikeCsvText(utf8('\ufeffsep=,\r\na,b\r\n'))).toBe(true);
    expect(looksLikeCsvText(utf8('# comment\n'))).toBe(true);
    expect(looksLikeCsvText(utf8('just words\n'))).toBe(false);
    expect(looksLikeCsvText(new Uint8Array([0x61, 0x2c, 0x00, 0x62]))).toBe(false);
    expect(looksLikeCsvText(new Uint8Array([0x61, 0x2c, 0xff, 0xfe]))).toBe(false);
  });

  it('refuses a CSV of unrelated columns with a message listing the supported formats', async () => {
    const csv = utf8('name,price,quantity\n"Widget, large",9.99,3\n');
    const error = await parseFlightLog(csv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlightLogError);
    expect(error).toMatchObject({ code: 'not-a-flight-log' });
    const message = (error as Error).message;
    for (const name of ['DJIFlightRecord_*.txt', 'Litchi', 'Airdata', 'PhantomHelp', 'Dronelog']) expect(message).toContain(name);
    expect(message).toMatch(/not a DJI flight log/);
  });

  it('gives binary junk the same message', async () => {
    const junk = new Uint8Array(500).map((_, i) => (i * 7919) % 256);
    await expect(parseFlightLog(junk)).rejects.toMatchObject({ code: 'not-a-flight-log', message: expect.stringContaining('Litchi') });
  });

  it('says a recognised CSV without rows holds no flight data', async () => {
    await expect(parseFlightLog(utf8('time(millisecond),datetime(utc),latitude,longitude,flycState\n'))).rejects.toMatchObject({ code: 'no-flight-data' });
  });

  it('says a recognised CSV without a usable clock cannot be placed in time', async () => {
    const csv = 'time(millisecond),datetime(utc),latitude,longitude,flycState\n0,never,47.5,-122.6,P-GPS\n';
    await expect(parseFlightLog(utf8(csv))).rejects.toMatchObject({ code: 'not-a-flight-log', message: expect.stringMatching(/date and time/) });
  });
});

describe('CSV text', () => {
  it('strips a BOM and PhantomHelp’s sep= line and trims “, ” separators', () => {
    const d = readCsvDocument(utf8('\ufeffsep=,\r\nCUSTOM.date [local], OSD.latitude\r\n6/20/2018, 39.9\r\n'));
    expect(d.header).toEqual(['CUSTOM.date [local]', 'OSD.latitude']);
    expect(d.rows).toEqual([['6/20/2018', '39.9']]);
  });

  it('honours sep=; and RFC 4180 quoting (commas, doubled quotes and line breaks inside quotes)', () => {
    const d = readCsvDocument(utf8('sep=;\na;b\n"x;y";"say ""hi""\nthere"\n'));
    expect(d.rows).toEqual([['x;y', 'say "hi"\nthere']]);
  });

  it('collects leading # comment lines', () => {
    const d = readCsvDocument(utf8('# one\r\n# two: {"a":1}\r\nx,y\r\n1,2\r\n'));
    expect(d.comments).toEqual([' one', ' two: {"a":1}']);
    expect(d.header).toEqual(['x', 'y']);
  });

  it('reads a small Airdata-style file end to end, with its header for the duplicate check', async () => {
    const csv = [
      'time(millisecond),datetime(utc),latitude,longitude,height_above_takeoff(meters),speed(m/s),battery_percent,flycState,isPhoto',
      '0,2024-05-01 10:00:00,52.52,13.405,0,0,90,Motors_Started,0',
      '100,2024-05-01 10:00:00,52.52,13.405,1.5,0.5,90,P-GPS,1',
      '200,2024-05-01 10:00:00,52.52001,13.405,3,1,89,P-GPS,1',
    ].join('\n');
    const header = await readLogHeader(utf8(csv));
    expect(header).toMatchObject({ format: 'airdata-csv', version: 0, encrypted: false, durationS: 0.2 });
    // datetime(utc) has whole seconds: the start is the median of (datetime − time), within a second.
    expect(Math.abs(Date.parse(header.startTime!) - Date.parse('2024-05-01T10:00:00Z'))).toBeLessThan(1000);
    const f = await parseFlightLog(utf8(csv), { onHeader: (h) => void expect(h.format).toBe('airdata-csv') });
    expect([...f.telemetry.timeMs]).toEqual([0, 100, 200]);
    expect(f.metadata.maxHeightM).toBe(3);
    expect(f.metadata.photoCount).toBe(1);
  });

  it('lets onHeader abort a CSV import like a DJI one', async () => {
    const csv = 'time(millisecond),datetime(utc),latitude,longitude,flycState\n0,2024-05-01 10:00:00,52.5,13.4,P-GPS\n';
    const abort = new FlightLogError('aborted', 'duplicate');
    await expect(parseFlightLog(utf8(csv), { onHeader: () => { throw abort; } })).rejects.toBe(abort);
  });
});
