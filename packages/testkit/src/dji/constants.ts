/** Record type IDs written by the testkit (see docs/dji-log-format.md §1.9). */
export const RecordType = {
  OSD: 1,
  Home: 2,
  Gimbal: 3,
  RC: 4,
  Custom: 5,
  CenterBattery: 7,
  AppTip: 9,
  AppWarn: 10,
  Recover: 13,
  SmartBatteryGroup: 22,
  AppSeriousWarn: 24,
  Camera: 25,
  OFDM: 49,
  KeyStorageRecover: 50,
  KeyStorage: 56,
} as const;

/** Keychain feature points: number on the wire (KeyStorage record) and name in the keychain API. */
export const FEATURE_POINTS = {
  1: 'FR_Standardization_Feature_Base_1',
  2: 'FR_Standardization_Feature_Vision_2',
  3: 'FR_Standardization_Feature_Waypoint_3',
  4: 'FR_Standardization_Feature_Agriculture_4',
  5: 'FR_Standardization_Feature_AirLink_5',
  6: 'FR_Standardization_Feature_AfterSales_6',
  7: 'FR_Standardization_Feature_DJIFlyCustom_7',
  8: 'FR_Standardization_Feature_Plaintext_8',
  9: 'FR_Standardization_Feature_FlightHub_9',
  10: 'FR_Standardization_Feature_Gimbal_10',
  11: 'FR_Standardization_Feature_RC_11',
  12: 'FR_Standardization_Feature_Camera_12',
  13: 'FR_Standardization_Feature_Battery_13',
  14: 'FR_Standardization_Feature_FlySafe_14',
  15: 'FR_Standardization_Feature_Security_15',
} as const satisfies Record<number, string>;

export type FeaturePointName = (typeof FEATURE_POINTS)[keyof typeof FEATURE_POINTS];

export const PLAINTEXT_FEATURE_POINT = 8;

export function featurePointName(fp: number): FeaturePointName {
  const name = (FEATURE_POINTS as Record<number, FeaturePointName>)[fp];
  if (!name) throw new RangeError(`unknown feature point ${fp}`);
  return name;
}

export function featurePointNumber(name: string): number | null {
  for (const [n, s] of Object.entries(FEATURE_POINTS)) if (s === name) return Number(n);
  return null;
}

/**
 * Feature point of a record type, as dji-log-parser 0.5.7 maps it (v13 differs from v14+).
 * Only the types this writer emits plus the common ones are listed; anything else is Plaintext.
 */
export function featurePointOf(recordType: number, version: number): number {
  const v13 = version === 13;
  switch (recordType) {
    case 1: case 2: case 6: case 13: case 14: case 15: case 40: case 58: case 59: case 63:
      return 1; // Base
    case 3:
      return v13 ? 1 : 10; // Gimbal
    case 4: case 11: case 29: case 33:
      return v13 ? 1 : 11; // RC
    case 62:
      return 11;
    case 5: case 9: case 10: case 20: case 24: case 30: case 54:
      return 7; // DJIFlyCustom
    case 7: case 8:
      return v13 ? 1 : 13; // Battery
    case 22:
      return v13 ? 6 : 13;
    case 25:
      return v13 ? 1 : 12; // Camera
    case 12: case 16: case 19: case 26: case 27:
      return 6; // AfterSales
    case 17: case 18:
      return 2;
    case 28: case 51: case 52:
      return v13 ? 6 : 14;
    case 53:
      return v13 ? 6 : 9;
    case 31: case 32: case 34: case 35: case 36: case 38: case 39:
      return 3;
    case 21: case 41: case 43: case 44: case 45: case 46: case 47: case 48:
      return 4;
    case 49:
      return 5; // AirLink
    case 55:
      return 15;
    default:
      return PLAINTEXT_FEATURE_POINT; // includes 50 and 56
  }
}

/** Flight modes (OSD byte 30, bits 0–6) used by the generator. */
export const FlightMode = {
  Manual: 0,
  Atti: 1,
  GPSAtti: 6,
  AutoTakeoff: 11,
  AutoLanding: 12,
  GoHome: 15,
  GPSSport: 31,
  Tripod: 38,
  EngineStart: 41,
} as const;

/** The parser's names for the flight mode numbers above (what `frame.osd.flycState` returns). */
export const FLIGHT_MODE_NAMES: Record<number, string> = {
  0: 'Manual', 1: 'Atti', 2: 'AttiCourseLock', 3: 'AttiHover', 4: 'Hover', 5: 'GPSBlake', 6: 'GPSAtti',
  7: 'GPSCourseLock', 8: 'GPSHomeLock', 9: 'GPSHotPoint', 10: 'AssistedTakeoff', 11: 'AutoTakeoff',
  12: 'AutoLanding', 13: 'AttiLanding', 14: 'GPSWaypoint', 15: 'GoHome', 16: 'ClickGo', 17: 'Joystick',
  31: 'GPSSport', 38: 'Tripod', 41: 'EngineStart', 43: 'GPSGentle',
};

/** App platforms (details byte 376). */
export const AppPlatform = { iOS: 1, Android: 2, DJIFly: 6, Windows: 10, Mac: 11, Linux: 12 } as const;

/** Version-block department codes (v13+), sent in the keychain request. */
export const Department = {
  SDK: 1, DJIGO: 2, DJIFly: 3, Agricultural: 4, Terra: 5, Glasses: 6, DJIPilot: 7, GSPro: 8,
} as const;
