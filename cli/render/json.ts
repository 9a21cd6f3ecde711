/** JSON output of analyze / timeline / trace: the analysis data as it is, with the output's format version. */

/** Bump when a field of the JSON outputs changes meaning or is removed (adding one does not). */
const JSON_OUTPUT_VERSION = 1;

/** Times are rounded to the microsecond: the trace has no finer resolution, and it hides float noise (0.06099999…). */
export function toJson(data: object): string {
  return JSON.stringify({ formatVersion: JSON_OUTPUT_VERSION, ...data }, roundTimes, 2) + '\n';
}

function roundTimes(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
}
