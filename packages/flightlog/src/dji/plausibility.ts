import type { DjiFrame } from './frame.js';

/**
 * Tells a real decoded flight from what dji-log-parser returns for an encrypted log decoded with wrong
 * or missing keys. The parser raises no error then:
 * - keys that fail AES padding give frames whose fields are all exactly 0 (lat/lon, height, attitude, speeds);
 * - an empty keychain (`[[]]`) leaves the ciphertext XOR-decoded only, giving absurd numbers
 *   (latitude 1e305, heights of ±3000 m, pitch of −2308°, battery voltage of −1959904 V).
 *
 * A real frame, even without GPS (indoor/ATTI flights), has a non-zero attitude and position, height,
 * attitude and speeds inside physical limits; on all 52 offline-readable real logs of the fixtures every
 * frame passes. Battery values are deliberately not part of the test: the parser misreads the battery
 * records of some real logs (see extract.ts), so they say nothing about the keys.
 */
export class FrameQuality {
  #total = 0;
  #zero = 0;
  #implausible = 0;

  add(frame: DjiFrame): void {
    this.#total++;
    const o = frame.osd;
    if (
      o.latitude === 0 && o.longitude === 0 && o.height === 0 && o.pitch === 0 && o.roll === 0 &&
      o.yaw === 0 && o.xSpeed === 0 && o.ySpeed === 0 && o.zSpeed === 0
    ) {
      this.#zero++;
      return;
    }
    if (
      !(Math.abs(o.latitude) <= 90 && Math.abs(o.longitude) <= 180) ||
      !(Math.abs(o.height) <= 10_000) ||
      !(Math.abs(o.pitch) <= 180 && Math.abs(o.roll) <= 180 && Math.abs(o.yaw) <= 360) ||
      !(Math.hypot(o.xSpeed, o.ySpeed) <= 150 && Math.abs(o.zSpeed) <= 100)
    ) {
      this.#implausible++;
    }
  }

  get total(): number {
    return this.#total;
  }
  get zero(): number {
    return this.#zero;
  }
  get implausible(): number {
    return this.#implausible;
  }

  /** True when most frames are all-zero or physically impossible: the decode is garbage. */
  isGarbage(): boolean {
    return this.#total > 0 && (this.#zero + this.#implausible) * 2 > this.#total;
  }

  /** True when most frames are physically impossible (all-zero frames alone do not count). */
  isMostlyImplausible(): boolean {
    return this.#total > 0 && this.#implausible * 2 > this.#total;
  }
}
