/** `async-inspect timeline --task N` */

import { buildTimeline } from '../analysis/timeline';
import { helpFlag, outputFlags, parseCommandArgs, parseTaskId, traceFlags, type CommandSpec } from '../args';
import { ExitCode } from '../errors';
import { useColor, write, type CommandIO } from '../io';
import { openTrace } from '../load/open-trace';
import { toJson } from '../render/json';
import { renderNotes } from '../render/notes';
import { createStyle } from '../render/style';
import { renderTimeline } from '../render/timeline';
import { pickTask } from './pick-task';

export const spec: CommandSpec = {
  name: 'timeline',
  summary: "one task's events in order, repetition collapsed",
  usage: ['async-inspect timeline --task <id>'],
  description:
    'Every event of the task with its time since the task started: frames entered, each await\n' +
    'it suspended at, each resume and after how long, completion or failure. When a frame\n' +
    'suspends at the same await many times in a row, the middle of the run is folded into one\n' +
    'line; 20 or more short waits in a row are flagged as a possible spin or poll loop.',
  flags: {
    task: { type: 'string', value: '<id>', description: 'the task, as numbered by analyze (3 or #3)' },
    ...traceFlags,
    ...outputFlags,
    ...helpFlag,
  },
  examples: ['async-inspect timeline --task 3', 'async-inspect timeline --task 3 --json'],
};

export async function run(io: CommandIO): Promise<number> {
  const flags = parseCommandArgs(spec, io.argv);
  const id = parseTaskId(flags.task, 'timeline');
  const { model, shownPath } = openTrace(flags.trace as string | undefined, io);
  const timeline = buildTimeline(model, pickTask(model, id, shownPath));
  const style = createStyle(useColor(io, flags));
  if (flags.json === true) {
    await write(io.stdout, toJson({ notes: model.notes, ...timeline }));
  } else {
    await write(io.stdout, renderTimeline(timeline, { style }));
    await write(io.stderr, renderNotes(model.notes, style));
  }
  return ExitCode.ok;
}
