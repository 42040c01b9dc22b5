/**
 * The parse path alone (`@dronelog/flightlog/parse-only`): what a parse worker needs, without the smart tags and
 * places of the main entry, whose modules (country-coder builds its lookup data when it is imported, ≈ 70–100 ms;
 * tz-lookup) a thread that only parses would load for nothing.
 */
export * from './types.js';
export * from './errors.js';
export { readLogHeader, parseFlightLog } from './parse.js';
export { parserMemoryBytes } from './dji/parser.js';
