import type { FlightMessage, MessageSeverity } from '../types.js';

/** The parser joins all tips (or warnings) of one frame with "; ". */
export function splitAppMessages(joined: unknown): string[] {
  if (typeof joined !== 'string' || joined === '') return [];
  const out: string[] = [];
  for (const part of joined.split('; ')) {
    const text = part.replace(/\0/g, '').trim();
    if (text !== '') out.push(text);
  }
  return out;
}

/**
 * Collects app messages frame by frame, dropping consecutive duplicates: a message that was already
 * shown in the previous frame (apps repeat active warnings every frame), or that repeats the last kept
 * message. Times are filled in later, once the time base exists.
 */
export class MessageCollector {
  readonly #rows: number[] = [];
  readonly #messages: Array<{ severity: MessageSeverity; text: string }> = [];
  #previousFrame = new Set<string>();
  #lastKey = '';

  /** Adds the messages of one frame (call once per frame, in order, even when it has none). */
  addFrame(row: number, tip: unknown, warn: unknown): void {
    const current = new Set<string>();
    this.#addAll(row, 'tip', splitAppMessages(tip), current);
    this.#addAll(row, 'warning', splitAppMessages(warn), current);
    this.#previousFrame = current;
  }

  #addAll(row: number, severity: MessageSeverity, texts: string[], current: Set<string>): void {
    for (const text of texts) {
      const key = `${severity}\u0001${text}`;
      const repeated = this.#previousFrame.has(key) || current.has(key) || key === this.#lastKey;
      current.add(key);
      if (repeated) continue;
      this.#lastKey = key;
      this.#rows.push(row);
      this.#messages.push({ severity, text });
    }
  }

  /** The kept messages with their row's time. */
  toMessages(timeMs: Float64Array): FlightMessage[] {
    return this.#messages.map((m, i) => ({ timeMs: timeMs[this.#rows[i]!]!, severity: m.severity, text: m.text }));
  }
}
