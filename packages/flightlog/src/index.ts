export * from './types.js';
export * from './errors.js';
export { readLogHeader, parseFlightLog } from './parse.js';
export { parserMemoryBytes } from './dji/parser.js';
export { productName } from './products.js';
export { detectCsvFormat, NOT_A_FLIGHT_LOG_MESSAGE } from './csv/parse-csv.js';
export {
  writeDronelogCsv, DRONELOG_CSV_COLUMNS, type DronelogCsvFlight, type DronelogCsvTelemetry,
} from './csv/dronelog-csv.js';
export * from './tags/smart-tags.js';
export { localStartTime, localWallClock, type LocalStartTime } from './place/time-zone.js';
export { countryAt, type CountryInfo } from './place/country.js';
export { sunElevationDeg, isCivilNight, CIVIL_TWILIGHT_DEG } from './place/sun.js';
