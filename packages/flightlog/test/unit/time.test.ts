import { describe, expect, it } from 'vitest';
import { buildTimeBase, flyTimeToMs, parseFrameClock } from '../../src/normalise/time.js';
import { WarningCounter } from '../../src/normalise/warnings.js';

const ms = (iso: string) => Date.parse(iso);

describe('parseFrameClock', () => {
  it('accepts ms-precision UTC clocks from 2011 to 2099', () => {
    expect(parseFrameClock('2018-06-20T15:16:53.076Z')).toBe(ms('2018-06-20T15:16:53.076Z'));
    expect(parseFrameClock('2099-12-31T23:59:59.999Z')).not.toBeNaN();
  });

  it('refuses the 1970 default, other implausible years and non-strings', () => {
    expect(parseFrameClock('1970-01-01T00:00:00Z')).toBeNaN();
    expect(parseFrameClock('2010-12-31T23:59:59Z')).toBeNaN();
    expect(parseFrameClock('2100-01-01T00:00:00Z')).toBeNaN();
    expect(parseFrameClock('')).toBeNaN();
    expect(parseFrameClock(undefined)).toBeNaN();
  });
});

describe('flyTimeToMs', () => {
  it('rounds the f32 seconds to the 0.1 s they were recorded in', () => {
    expect(flyTimeToMs(0.20000000298023224)).toBe(200);
    expect(flyTimeToMs(806.9000244140625)).toBe(806_900);
    expect(flyTimeToMs(-1)).toBeNaN();
    expect(flyTimeToMs(NaN)).toBeNaN();
  });
});

describe('buildTimeBase', () => {
  it('uses the frame clock, relative to the first frame', () => {
    const clock = Float64Array.from([ms('2018-06-20T15:16:53.076Z'), ms('2018-06-20T15:16:53.176Z'), ms('2018-06-20T15:16:53.386Z')]);
    const fly = Float64Array.from([200, 300, 400]);
    const w = new WarningCounter();
    const t = buildTimeBase(clock, fly, null, w);
    expect(t.source).toBe('frame-clock');
    expect(t.startMs).toBe(ms('2018-06-20T15:16:53.076Z'));
    expect([...t.timeMs]).toEqual([0, 100, 310]);
  });

  it('uses flyTime differences when there is no frame clock, never assuming flyTime starts at 0', () => {
    const clock = new Float64Array(3).fill(NaN);
    const fly = Float64Array.from([806_900, 807_000, 807_200]);
    const t = buildTimeBase(clock, fly, ms('2018-01-12T20:57:12.776Z'), new WarningCounter());
    expect(t.source).toBe('fly-time');
    expect([...t.timeMs]).toEqual([0, 100, 300]);
    expect(t.startMs).toBe(ms('2018-01-12T20:57:12.776Z')); // header start
  });

  it('anchors frames before the first clock by flyTime (v13 logs whose Custom records start late)', () => {
    const clock = Float64Array.from([NaN, NaN, ms('2024-09-01T12:55:50.000Z'), ms('2024-09-01T12:55:50.100Z')]);
    const fly = Float64Array.from([1000, 1100, 1200, 1300]);
    const t = buildTimeBase(clock, fly, null, new WarningCounter());
    expect([...t.timeMs]).toEqual([0, 100, 200, 300]);
    expect(t.startMs).toBe(ms('2024-09-01T12:55:49.800Z'));
  });

  it('clamps a clock that goes backwards, counting it, so time never decreases', () => {
    const base = ms('2019-02-22T12:01:22.000Z');
    const clock = Float64Array.from([base, base + 100, base - 5000, base - 4900]);
    const fly = Float64Array.from([NaN, NaN, NaN, NaN]);
    const w = new WarningCounter();
    const t = buildTimeBase(clock, fly, null, w);
    expect([...t.timeMs]).toEqual([0, 100, 100, 200]);
    expect(w.count('time-backwards')).toBe(1);
  });

  it('takes the flyTime step when the wall clock jumps back but flyTime moves on', () => {
    const base = ms('2019-02-22T12:01:22.000Z');
    const clock = Float64Array.from([base, base + 100, base - 3_600_000]);
    const fly = Float64Array.from([0, 100, 200]);
    const w = new WarningCounter();
    expect([...buildTimeBase(clock, fly, null, w).timeMs]).toEqual([0, 100, 200]);
    expect(w.count('time-backwards')).toBe(1);
  });

  it('spaces rows at 10 Hz, with a warning, when the log has no clock at all', () => {
    const w = new WarningCounter();
    const t = buildTimeBase(new Float64Array(3).fill(NaN), new Float64Array(3), null, w);
    expect(t.source).toBe('estimated');
    expect([...t.timeMs]).toEqual([0, 100, 200]);
    expect(w.count('time-estimated')).toBe(1);
    expect(t.startMs).toBe(0);
  });
});
