export * from './flight/types.js';
export * from './flight/aircraft.js';
export * from './flight/build.js';
export * from './flight/demo.js';
export * from './dji/writer.js';
export { RecordType, FlightMode, FLIGHT_MODE_NAMES, AppPlatform, Department, FEATURE_POINTS, featurePointOf, type FeaturePointName } from './dji/constants.js';
export {
  encodeKeyStorageBlob, decodeKeyStorageBlob, wrongKeychains, malformedKeychains, isWellFormedKeychains,
  TESTKIT_WRAP_KEY, type FeaturePointKey, type MalformedKeychainsKind,
} from './dji/keychains.js';
export { xorKey, xorScramble, crc64Jones } from './dji/xor.js';
export { Rng } from './random.js';
export * from './fake-keychain-server.js';
export * from './fixtures.js';
export * from './demo-set.js';
export * from './pmtiles.js';
export * from './odl-backup.js';
