/**
 * Makes stderr of a plain and an instrumented run comparable: project paths become
 * `<dir>`, and what legitimately differs goes away — stack frames (`    at …`) and the
 * source excerpt Node prints above an uncaught error (`file:line`, the code line, the
 * caret), because the instrumented code has different lines and columns.
 */
export function normaliseStderr(stderr: string, dir: string): string {
  const withoutPaths = stderr
    .split(`file://${dir}`).join('<dir>')
    .split(dir).join('<dir>');
  const lines = withoutPaths.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^<dir>\/\S+:\d+$/.test(lines[i])) {
      i += 2; // skip the source line and the caret line
      continue;
    }
    if (/^\s+at /.test(lines[i])) continue;
    kept.push(lines[i]);
  }
  return kept.join('\n');
}
