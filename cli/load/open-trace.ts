/** The first step of every command: find the trace, read it, build the model. */

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { relative, resolve } from 'node:path';
import type { HeaderRecord } from '../../format';
import type { CommandIO } from '../io';
import { buildModel } from '../model/build-model';
import type { TraceModel } from '../model/types';
import { locateTrace } from './locate-trace';
import { loadTraceFile } from './trace-file';

/** What the liveness check asks of the system; tests pass their own. */
export interface ProcessProbe {
  hostname(): string;
  /** `process.kill(pid, 0)`: the process exists and may be signalled, exists but belongs to someone else, or is gone. */
  signal0(pid: number): 'ok' | 'eperm' | 'gone';
  /** The process's command line as the kernel has it (`/proc/<pid>/cmdline`), or undefined when it cannot be read. */
  cmdline(pid: number): string | undefined;
}

const systemProbe: ProcessProbe = {
  hostname,
  signal0(pid) {
    try {
      process.kill(pid, 0);
      return 'ok';
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'eperm' : 'gone';
    }
  },
  cmdline(pid) {
    if (process.platform !== 'linux') return undefined;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/**
 * Whether the process that writes the trace is still running. Pids are reused (and in a
 * container every program is pid 1), so it takes all of: the trace was written on this
 * host (traces without `host` are never live), a process with the pid exists and is ours
 * to signal, and, where the kernel tells (Linux), its command line is the recorded one.
 */
export function isTraceLive(header: HeaderRecord, ended: boolean, probe: ProcessProbe = systemProbe): boolean {
  const pid = header.pid;
  if (ended || !Number.isInteger(pid) || pid <= 0) return false;
  if (typeof header.host !== 'string' || header.host === '' || header.host !== probe.hostname()) return false;
  if (probe.signal0(pid) !== 'ok') return false;
  const cmdline = probe.cmdline(pid);
  return cmdline === undefined || sameCommandLine(cmdline, header);
}

/**
 * The recorded argv (`process.argv`: node's path, the script resolved, then the arguments)
 * against the kernel's command line (as typed: `node --flag dist/main.js args…`): the same
 * words, or the same arguments after a script that resolves to the recorded one.
 */
function sameCommandLine(cmdline: string, header: HeaderRecord): boolean {
  const words = (cmdline.endsWith('\0') ? cmdline.slice(0, -1) : cmdline).split('\0');
  const argv = header.argv;
  if (words.join('\0') === argv.join('\0')) return true;
  if (argv.length < 2 || words.length < argv.length) return false;
  const tail = words.slice(words.length - (argv.length - 1));
  if (!tail.slice(1).every((word, i) => word === argv[i + 2])) return false;
  return tail[0] === argv[1] || resolve(header.cwd, tail[0]) === argv[1];
}

export interface OpenedTrace {
  path: string;
  /** The path as shown to the user (relative to the working directory when inside it). */
  shownPath: string;
  model: TraceModel;
}

export function openTrace(trace: string | undefined, io: CommandIO): OpenedTrace {
  const path = locateTrace({ trace, cwd: io.cwd, env: io.env });
  const parsed = loadTraceFile(path);
  const live = isTraceLive(parsed.header, parsed.end !== undefined);
  const model = buildModel(parsed, { liveNow: live ? Date.now() - parsed.header.startTime : undefined });
  const rel = relative(io.cwd, path);
  return { path, shownPath: rel.startsWith('..') ? path : rel, model };
}
