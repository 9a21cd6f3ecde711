/** JSON output of analyze / timeline / trace: the analysis data as it is, with the output's format version. */

/** Bump when a field of the JSON outputs changes meaning or is removed (adding one does not). */
export const JSON_OUTPUT_VERSION = 1;

export function toJson(data: object): string {
  return JSON.stringify({ formatVersion: JSON_OUTPUT_VERSION, ...data }, null, 2) + '\n';
}
