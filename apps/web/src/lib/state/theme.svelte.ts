/** Dark/light theme, remembered per browser. The initial value is applied before paint by app.html. */
export type Theme = 'dark' | 'light';
const KEY = 'dronelog.theme';

export class ThemeState {
  #value = $state<Theme>('dark');

  constructor() {
    if (typeof document !== 'undefined') {
      const t = document.documentElement.dataset.theme;
      this.#value = t === 'light' ? 'light' : 'dark';
    }
  }

  get value(): Theme {
    return this.#value;
  }

  set value(t: Theme) {
    this.#value = t;
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = t;
    try {
      localStorage.setItem(KEY, t);
    } catch {
      // private mode: not remembered, still applied
    }
  }

  toggle(): void {
    this.value = this.#value === 'dark' ? 'light' : 'dark';
  }
}

export const theme = new ThemeState();
