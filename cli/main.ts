#!/usr/bin/env node
/**
 * The `async-inspect` command: a table of commands, each loaded only when it runs.
 * Errors the user can fix become one line on stderr and an exit code (cli/errors.ts).
 */

import type { CommandSpec } from './args';
import { CliError, ExitCode } from './errors';
import { write, type CommandIO } from './io';

interface CommandModule {
  spec: CommandSpec;
  run(io: CommandIO): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load(): Promise<CommandModule>;
}

export const commands: Record<string, CommandEntry> = {
  analyze: { summary: 'what happened: task counts, stuck tasks, failures, slow tasks', load: () => import('./commands/analyze.js') },
  timeline: { summary: "one task's events in order, repetition collapsed", load: () => import('./commands/timeline.js') },
  trace: { summary: "one task's async stack: its tree of frames", load: () => import('./commands/trace.js') },
  export: { summary: 'tasks, frames, sites and events as JSON or CSV', load: () => import('./commands/export.js') },
};

function renderMainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length)) + 2;
  return [
    'async-inspect — where async code is stuck and why it failed, from a recorded trace',
    '',
    'Usage:',
    '  async-inspect <command> [flags]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    'Every command reads the newest trace in .async-inspect/ (or $ASYNC_INSPECT_DIR) unless',
    'given --trace <file or directory>. A trace is written by a program built with the',
    'async-inspect transformer. Run async-inspect <command> --help for its flags.',
    '',
    'Exit codes:',
    '  0  the command ran (failed or stuck tasks in the trace do not change this)',
    '  1  unexpected internal error (a bug; set ASYNC_INSPECT_DEBUG=1 for the stack trace)',
    '  2  usage error: unknown command or flag, bad value',
    '  3  no trace found, or the file cannot be read as a trace',
    '  4  the task given to --task is not in the trace',
    '  5  the output file of export cannot be written',
    '',
  ].join('\n');
}

export async function main(io: CommandIO): Promise<number> {
  const [name, ...rest] = io.argv;
  try {
    if (name === undefined) {
      await write(io.stderr, renderMainHelp());
      return ExitCode.usage;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      await write(io.stdout, renderMainHelp());
      return ExitCode.ok;
    }
    const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!entry) {
      const what = name.startsWith('-') ? `expected a command before ${name}` : `unknown command "${name}"`;
      throw new CliError(`${what} (commands: ${Object.keys(commands).join(', ')}); see async-inspect --help`, ExitCode.usage);
    }
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      const { renderHelp } = await import('./args.js');
      await write(io.stdout, renderHelp(command.spec));
      return ExitCode.ok;
    }
    return await command.run({ ...io, argv: rest });
  } catch (error) {
    if (error instanceof CliError) {
      await write(io.stderr, `async-inspect: ${error.message}\n`);
      return error.exitCode;
    }
    const detail = io.env.ASYNC_INSPECT_DEBUG ? `\n${(error as Error)?.stack ?? String(error)}` : ' (set ASYNC_INSPECT_DEBUG=1 for the stack trace)';
    await write(io.stderr, `async-inspect: internal error: ${(error as Error)?.message ?? String(error)}${detail}\n`);
    return ExitCode.internal;
  }
}

if (require.main === module) {
  // `async-inspect … | head` closes stdout early: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  main({
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: process.stdout.isTTY === true,
  }).then((code) => {
    process.exitCode = code;
  });
}
