import { describe, expect, it } from 'vitest';
import { readBatteryInfo, type DjiRawRecord } from '../../src/dji/battery-records.js';

// Records shaped as dji-log-parser-js returns them (values from the real logs in fixtures/dji).
const center = (discharges: number, life: number): DjiRawRecord => ({
  type: 'CenterBattery',
  content: { numberOfDischarges: discharges, life, fullCapacity: 4434, serialNumber: life > 0 ? 2478 : 0 },
});
const smartStatic = (index: number, design: number, loops: number): DjiRawRecord => ({
  type: 'SmartBatteryGroup',
  content: { type: 'SmartBatteryStatic', index, designed_capacity: design, loop_times: loops, full_voltage: 22800, battery_life: 100 },
});
const component = (componentType: unknown, serial: string): DjiRawRecord => ({ type: 'ComponentSerial', content: { componentType, serial } });

describe('readBatteryInfo', () => {
  it('takes the highest cycle count of every battery and the design capacity (Matrice 210: two TB50 packs)', () => {
    expect(readBatteryInfo([smartStatic(1, 4280, 0), smartStatic(2, 4280, 1), smartStatic(1, 4280, 0)])).toEqual({
      cycles: 1,
      designCapacityMah: 4280,
      serial: null,
    });
  });

  it('reads CenterBattery discharges only when the record reports a battery life (Phantom 4 leaves it all 0)', () => {
    expect(readBatteryInfo([center(11, 99), center(11, 99)]).cycles).toBe(11);
    expect(readBatteryInfo([center(0, 0)]).cycles).toBeNull();
  });

  it('ignores blank static records and impossible counts', () => {
    expect(readBatteryInfo([smartStatic(0, 0, 0)])).toEqual({ cycles: null, designCapacityMah: null, serial: null });
    expect(readBatteryInfo([center(65535, 100), smartStatic(0, 3850, 65535)])).toEqual({ cycles: null, designCapacityMah: 3850, serial: null });
  });

  it('takes the first battery serial of the ComponentSerial records, not other components’', () => {
    const records = [component('Aircraft', '0M6DG1400189PP'), component('Battery', '0P2AFC7534006E'), component('Battery', 'OTHER'), component(6, 'X')];
    expect(readBatteryInfo(records).serial).toBe('0P2AFC7534006E');
    expect(readBatteryInfo([component('Battery', '')]).serial).toBeNull();
  });

  it('reads nothing from other records', () => {
    expect(readBatteryInfo([{ type: 'OSD', content: {} }, { type: 'KeyStorageRecover', content: [] }, { type: 'Invalid' }])).toEqual({
      cycles: null,
      designCapacityMah: null,
      serial: null,
    });
  });
});
