/** Finds the task named by --task, or fails with the ids that exist (exit 4). */

import { CliError, ExitCode } from '../errors';
import type { Task, TraceModel } from '../model/types';
import { taskList } from '../render/labels';

export function pickTask(model: TraceModel, id: number, tracePath: string): Task {
  const task = model.tasks.get(id);
  if (task) return task;
  const ids = [...model.tasks.keys()].sort((a, b) => a - b);
  const known = ids.length === 0 ? 'the trace has no tasks' : `tasks in it: ${ranges(ids)}`;
  throw new CliError(`no task #${id} in ${tracePath}; ${known}`, ExitCode.unknownTask);
}

/** `#1–#40, #42` for long runs of consecutive ids, shortened when there are many. */
function ranges(ids: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    parts.push(j - i >= 2 ? `#${ids[i]}–#${ids[j]}` : ids.slice(i, j + 1).map((n) => `#${n}`).join(', '));
    i = j + 1;
  }
  const text = parts.join(', ');
  if (parts.length <= 12) return text;
  return `${taskList(ids, 10)} (${ids.length} tasks)`;
}
