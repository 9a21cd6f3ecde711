/** What a command may touch of the outside world; tests pass their own. */

export interface CommandIO {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** stdout is a terminal. */
  isTTY: boolean;
}

/** Colour on: asked with --color, or stdout is a terminal and neither NO_COLOR nor --no-color is set. */
export function useColor(io: CommandIO, flags: { color?: unknown; 'no-color'?: unknown }): boolean {
  if (flags['no-color'] === true) return false;
  if (flags.color === true) return true;
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === '');
}

/** Writes a string, resolving when the stream has taken it (respects back-pressure). */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> | void {
  if (text === '') return;
  if (stream.write(text)) return;
  return new Promise((resolve) => stream.once('drain', resolve));
}
