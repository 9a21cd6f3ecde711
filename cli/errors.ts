/**
 * Exit codes and the one error type commands throw. `main.ts` turns a `CliError` into one
 * line on stderr and its exit code; anything else is a bug (exit 1).
 */

export const ExitCode = {
  /** The command ran (findings such as failed tasks do not change this). */
  ok: 0,
  /** Unexpected internal error: a bug in async-inspect. */
  internal: 1,
  /** Bad command line: unknown command or flag, bad value. */
  usage: 2,
  /** No trace found, or the file cannot be read as a trace. */
  noTrace: 3,
  /** The task id given to --task is not in the trace. */
  unknownTask: 4,
  /** The output file of `export` cannot be written. */
  output: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, ExitCode.usage);
}
