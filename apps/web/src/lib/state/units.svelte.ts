/** Metric/imperial, remembered per browser. */
import type { UnitSystem } from '$lib/utils/units.js';

const KEY = 'dronelog.units';

function initial(): UnitSystem {
  try {
    const v = localStorage.getItem(KEY);
    if (v === 'metric' || v === 'imperial') return v;
  } catch {
    // no storage
  }
  // First visit: US/Liberia/Myanmar locales default to imperial.
  const lang = typeof navigator !== 'undefined' ? navigator.language : 'en';
  return /-(US|LR|MM)$/i.test(lang) ? 'imperial' : 'metric';
}

export class UnitsState {
  #system = $state<UnitSystem>('metric');

  constructor() {
    if (typeof window !== 'undefined') this.#system = initial();
  }

  get system(): UnitSystem {
    return this.#system;
  }

  set system(s: UnitSystem) {
    this.#system = s;
    try {
      localStorage.setItem(KEY, s);
    } catch {
      // not remembered
    }
  }

  toggle(): void {
    this.system = this.#system === 'metric' ? 'imperial' : 'metric';
  }
}

export const units = new UnitsState();
