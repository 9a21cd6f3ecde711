/** The first step of every command: find the trace, read it, build the model. */

import { relative } from 'node:path';
import type { CommandIO } from '../io';
import { buildModel } from '../model/build-model';
import type { TraceModel } from '../model/types';
import { locateTrace } from './locate-trace';
import { loadTraceFile } from './trace-file';

export interface OpenedTrace {
  path: string;
  /** The path as shown to the user (relative to the working directory when inside it). */
  shownPath: string;
  model: TraceModel;
}

export function openTrace(trace: string | undefined, io: CommandIO): OpenedTrace {
  const path = locateTrace({ trace, cwd: io.cwd, env: io.env });
  const model = buildModel(loadTraceFile(path));
  const rel = relative(io.cwd, path);
  return { path, shownPath: rel.startsWith('..') ? path : rel, model };
}
