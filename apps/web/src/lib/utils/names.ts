/**
 * Flight names from answers that carry only `name`, `startTime` and `localTimeZone` (overview top flights): the API's
 * default name is "<model> · <UTC YYYY-MM-DD HH:MM>"; shown like the list does, at the local time where the drone
 * flew (the viewer's local time when the flight's zone is unknown).
 */
import { formatDateTime } from './format.js';

const DEFAULT_NAME = /^(.*) · (\d{4}-\d{2}-\d{2} \d{2}:\d{2})$/;

export function displayName(name: string, startTime: string, timeZone?: string | null): { title: string; isDefault: boolean } {
  const m = DEFAULT_NAME.exec(name);
  if (m && startTime.slice(0, 16).replace('T', ' ') === m[2]) return { title: `${m[1]} · ${formatDateTime(startTime, timeZone)}`, isDefault: true };
  return { title: name, isDefault: false };
}
