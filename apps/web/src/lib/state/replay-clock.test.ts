import { describe, expect, it } from 'vitest';
import { ReplayClock } from './replay-clock.svelte.js';

function manualClock(duration: number) {
  let now = 0;
  const frames: Array<(t: number) => void> = [];
  const clock = new ReplayClock(duration, {
    now: () => now,
    schedule: (cb) => frames.push(cb),
    cancel: () => {},
  });
  const frame = (dt: number) => {
    now += dt;
    const cb = frames.shift();
    cb?.(now);
  };
  return { clock, frame };
}

describe('ReplayClock', () => {
  it('advances at the chosen speed while playing', () => {
    const { clock, frame } = manualClock(60_000);
    clock.speed = 4;
    clock.play();
    frame(1000);
    expect(clock.timeMs).toBe(4000);
    clock.speed = 0.5;
    frame(1000);
    expect(clock.timeMs).toBe(4500);
  });
  it('stops at the end and restarts from 0 when played again', () => {
    const { clock, frame } = manualClock(10_000);
    clock.speed = 16;
    clock.play();
    frame(1000);
    expect(clock.timeMs).toBe(10_000);
    expect(clock.playing).toBe(false);
    clock.play();
    expect(clock.timeMs).toBe(0);
  });
  it('seeks and steps within the flight', () => {
    const { clock } = manualClock(10_000);
    clock.seek(-5);
    expect(clock.timeMs).toBe(0);
    clock.step(5000);
    clock.step(9000);
    expect(clock.timeMs).toBe(10_000);
  });
  it('steps through the speed list', () => {
    const { clock } = manualClock(1);
    clock.speed = 16;
    clock.faster();
    expect(clock.speed).toBe(16);
    clock.slower();
    expect(clock.speed).toBe(8);
    clock.speed = 0.5;
    clock.slower();
    expect(clock.speed).toBe(0.5);
  });
  it('does not play an empty flight', () => {
    const { clock } = manualClock(0);
    clock.play();
    expect(clock.playing).toBe(false);
  });
});
