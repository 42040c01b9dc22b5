export * from './types.js';
export * from './errors.js';
export { readLogHeader, parseFlightLog } from './dji/parse.js';
export { productName } from './products.js';
