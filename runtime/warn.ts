/**
 * One-line warnings on stderr, each at most once per process. The runtime reports its
 * own trouble this way and carries on: it never throws into user code.
 */

const said = new Set<string>();

export function warnOnce(key: string, message: string): void {
  if (said.has(key)) return;
  said.add(key);
  try {
    process.stderr.write(`async-inspect: ${message}\n`);
  } catch {
    // stderr closed: nothing sensible left to do.
  }
}
