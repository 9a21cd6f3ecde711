/** The first step of every command: find the trace, read it, build the model. */

import { relative } from 'node:path';
import type { CommandIO } from '../io';
import { buildModel } from '../model/build-model';
import type { TraceModel } from '../model/types';
import { locateTrace } from './locate-trace';
import { loadTraceFile } from './trace-file';

/** Whether the process that writes the trace is still alive (same machine; a reused pid is possible but rare). */
function isStillRunning(pid: number, ended: boolean): boolean {
  if (ended || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
  const live = isStillRunning(parsed.header.pid, parsed.end !== undefined);
  const model = buildModel(parsed, { liveNow: live ? Date.now() - parsed.header.startTime : undefined });
  const rel = relative(io.cwd, path);
  return { path, shownPath: rel.startsWith('..') ? path : rel, model };
}
