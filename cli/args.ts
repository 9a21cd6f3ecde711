/**
 * Command-line options: each command declares its flags once; `parseCommandArgs` parses
 * them with node:util's parseArgs and `renderHelp` turns the same declaration into --help.
 */

import { parseArgs } from 'node:util';
import { usageError } from './errors';

export interface FlagSpec {
  type: 'boolean' | 'string';
  short?: string;
  /** Shown in help after the flag, for string flags: `--threshold <duration>`. */
  value?: string;
  description: string;
  /** Default shown in help. */
  default?: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string[];
  /** Longer explanation under the usage lines. */
  description?: string;
  flags: Record<string, FlagSpec>;
  examples?: string[];
}

/** Flags every command that reads a trace takes. */
export const traceFlags: Record<string, FlagSpec> = {
  trace: { type: 'string', value: '<path>', description: 'trace file, or a directory to take the newest trace from (default: newest in .async-inspect/)' },
};

export const outputFlags: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'print the result as JSON (stable shape, see docs/export-format.md)' },
  color: { type: 'boolean', description: 'colour the output even when it is not a terminal' },
  'no-color': { type: 'boolean', description: 'never colour the output (NO_COLOR=1 does the same)' },
};

export const helpFlag: Record<string, FlagSpec> = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export type ParsedFlags = Record<string, string | boolean | undefined>;

/** Parses `argv` (the arguments after the command name); throws a usage error naming the problem. */
export function parseCommandArgs(spec: CommandSpec, argv: string[]): ParsedFlags {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = {};
  for (const [name, flag] of Object.entries(spec.flags)) options[name] = flag.short ? { type: flag.type, short: flag.short } : { type: flag.type };
  let values: ParsedFlags;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as ParsedFlags;
  } catch (error) {
    throw usageError(`${spec.name}: ${describeParseError(error, spec)}; see async-inspect ${spec.name} --help`);
  }
  if (values.color === true && values['no-color'] === true) throw usageError(`${spec.name}: choose one of --color, --no-color`);
  return values;
}

function describeParseError(error: unknown, spec: CommandSpec): string {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(message)?.[1] ?? '?';
    return `unknown flag ${flag} (flags: ${Object.keys(spec.flags).map((f) => `--${f}`).join(', ')})`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--([\w-]+)/.exec(message)?.[0] ?? 'a flag';
    return message.includes('argument missing') ? `${flag} needs a value` : `${flag} does not take a value`;
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']+)'/.exec(message)?.[1] ?? '?';
    return `unexpected argument "${arg}"`;
  }
  return message.split('\n')[0];
}

/** `--help` text of a command. */
export function renderHelp(spec: CommandSpec): string {
  const out: string[] = [`async-inspect ${spec.name} — ${spec.summary}`, '', 'Usage:'];
  for (const u of spec.usage) out.push(`  ${u}`);
  if (spec.description) out.push('', ...spec.description.split('\n'));
  out.push('', 'Flags:');
  const rows = Object.entries(spec.flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.value ? ` ${f.value}` : ''}`;
    return [left, f.description + (f.default ? ` (default: ${f.default})` : '')];
  });
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  for (const [left, right] of rows) out.push(`  ${left.padEnd(width)}${right}`);
  if (spec.examples?.length) out.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return out.join('\n') + '\n';
}

/** `--task N`: a positive integer, written `3` or `#3` (nothing else: not `''`, `1e1`, `0x3`, ` 3`). */
export function parseTaskId(value: string | boolean | undefined, command: string): number {
  if (typeof value !== 'string') throw usageError(`${command}: --task <id> is required (the task ids are listed by async-inspect analyze)`);
  const id = /^#?\d+$/.test(value) ? Number(value.replace(/^#/, '')) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw usageError(`${command}: --task: "${value}" is not a task id (a number like 3 or #3)`);
  return id;
}
