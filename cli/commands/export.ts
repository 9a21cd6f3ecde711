/** `async-inspect export --json FILE` / `--csv FILE` (`-` for stdout). */

import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { helpFlag, parseCommandArgs, traceFlags, type CommandSpec } from '../args';
import { CliError, ExitCode, usageError } from '../errors';
import { write, type CommandIO } from '../io';
import { openTrace } from '../load/open-trace';
import { CSV_TABLES, exportCsv, type CsvTable } from '../render/export-csv';
import { exportJson } from '../render/export-json';

export const spec: CommandSpec = {
  name: 'export',
  summary: 'tasks, frames, sites and events as JSON or CSV',
  usage: ['async-inspect export --json <file|->', 'async-inspect export --csv <file|-> [--table frames|events]'],
  description:
    'Writes the trace in a documented, stable shape (docs/export-format.md); "-" writes to\n' +
    'stdout. JSON holds everything (formatVersion, trace, sites, errors, tasks, frames,\n' +
    'events); CSV holds one table: one row per frame, or one row per event.',
  flags: {
    json: { type: 'string', value: '<file|->', description: 'write JSON to this file' },
    csv: { type: 'string', value: '<file|->', description: 'write CSV to this file' },
    table: { type: 'string', value: '<name>', description: 'CSV table: frames or events', default: 'frames' },
    ...traceFlags,
    ...helpFlag,
  },
  examples: ['async-inspect export --json trace.json', 'async-inspect export --csv - --table events | head'],
};

export async function run(io: CommandIO): Promise<number> {
  const flags = parseCommandArgs(spec, io.argv);
  const json = flags.json as string | undefined;
  const csv = flags.csv as string | undefined;
  if ((json === undefined) === (csv === undefined)) throw usageError('export: give one of --json <file|-> or --csv <file|->');
  const table = (flags.table as string | undefined) ?? 'frames';
  if (!CSV_TABLES.includes(table as CsvTable)) throw usageError(`export: --table must be one of ${CSV_TABLES.join(', ')}, not "${table}"`);
  if (flags.table !== undefined && csv === undefined) throw usageError('export: --table goes with --csv');
  const { model, shownPath } = openTrace(flags.trace as string | undefined, io);
  const target = (json ?? csv)!;
  const chunks = json !== undefined ? exportJson(model, shownPath) : exportCsv(model, table as CsvTable);
  if (target === '-') {
    for (const chunk of chunks) await write(io.stdout, chunk);
    return ExitCode.ok;
  }
  await writeFileChunks(resolve(io.cwd, target), chunks, target);
  await write(io.stderr, `wrote ${target}\n`);
  return ExitCode.ok;
}

/** Writes the export; a new file is created readable by its owner only (it holds argv, cwd and argument previews, like the trace). */
async function writeFileChunks(path: string, chunks: Iterable<string>, shown: string): Promise<void> {
  const stream = createWriteStream(path, { mode: 0o600 });
  let failure: Error | undefined;
  stream.on('error', (error) => (failure = error));
  const failed = () => new CliError(`export: cannot write ${shown}: ${describe(failure)}`, ExitCode.output);
  await new Promise<void>((res) => stream.once('open', () => res()).once('error', () => res()));
  if (failure) throw failed();
  for (const chunk of chunks) {
    if (failure) throw failed();
    if (!stream.write(chunk)) await new Promise<void>((res) => stream.once('drain', res).once('error', () => res()));
  }
  await new Promise<void>((res) => stream.end(() => res()));
  if (failure) throw failed();
}

function describe(error: Error | undefined): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error?.message ?? 'unknown error';
}
