/** Finds the trace file to read: `--trace PATH` (a file or a directory) or the newest in the default directory. */

import { readdirSync, statSync, type Stats } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { TRACE_EXTENSION } from '../../format';
import { CliError, ExitCode } from '../errors';

export interface LocateTraceOptions {
  /** The `--trace` value, if given. */
  trace?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const HOW_TO_RECORD =
  'build your program with the async-inspect transformer (tspc with the plugin in tsconfig.json) and run it; ' +
  'it writes a trace to .async-inspect/';

/** Returns the absolute path of the trace file to read; throws a CliError (exit 3) when there is none. */
export function locateTrace(options: LocateTraceOptions): string {
  if (options.trace !== undefined) {
    const path = resolve(options.cwd, options.trace);
    const stats = statOrUndefined(path);
    if (!stats) throw new CliError(`no trace at ${options.trace}: no such file or directory`, ExitCode.noTrace);
    if (stats.isDirectory()) return newestTraceIn(path, options.cwd);
    return path;
  }
  const envDir = options.env.ASYNC_INSPECT_DIR?.trim();
  const dir = envDir ? resolve(options.cwd, envDir) : join(options.cwd, '.async-inspect');
  return newestTraceIn(dir, options.cwd);
}

function newestTraceIn(dir: string, cwd: string): string {
  const shown = relative(cwd, dir) || '.';
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new CliError(`no trace yet: ${shown}/ does not exist; ${HOW_TO_RECORD}`, ExitCode.noTrace);
  }
  let newest: { path: string; mtime: number } | undefined;
  for (const name of names) {
    if (!name.endsWith(TRACE_EXTENSION)) continue;
    const path = join(dir, name);
    const stats = statOrUndefined(path);
    if (!stats?.isFile()) continue;
    if (!newest || stats.mtimeMs > newest.mtime || (stats.mtimeMs === newest.mtime && path > newest.path)) {
      newest = { path, mtime: stats.mtimeMs };
    }
  }
  if (!newest) throw new CliError(`no trace yet: no *${TRACE_EXTENSION} file in ${shown}/; ${HOW_TO_RECORD}`, ExitCode.noTrace);
  return newest.path;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
