/** `async-inspect trace --task N` */

import { buildTraceTree } from '../analysis/trace-tree';
import { helpFlag, outputFlags, parseCommandArgs, parseTaskId, traceFlags, type CommandSpec } from '../args';
import { ExitCode } from '../errors';
import { useColor, write, type CommandIO } from '../io';
import { openTrace } from '../load/open-trace';
import { toJson } from '../render/json';
import { renderNotes } from '../render/notes';
import { createStyle } from '../render/style';
import { renderTraceTree } from '../render/trace';
import { createSourceReader, loadContexts } from '../source/code-context';
import { pickTask } from './pick-task';

export const spec: CommandSpec = {
  name: 'trace',
  summary: "one task's async stack: its tree of frames",
  usage: ['async-inspect trace --task <id>'],
  description:
    "The task's frames as a tree: each with its state, where it waits now (or its last await),\n" +
    'when it started and how long it ran; then the code of the deepest pending frame, or of\n' +
    'the await where the failure started. Per frame, pending and failed children are listed\n' +
    'first and at most 30 are shown; --json has them all.',
  flags: {
    task: { type: 'string', value: '<id>', description: 'the task, as numbered by analyze (3 or #3)' },
    ...traceFlags,
    ...outputFlags,
    ...helpFlag,
  },
  examples: ['async-inspect trace --task 3'],
};

export async function run(io: CommandIO): Promise<number> {
  const flags = parseCommandArgs(spec, io.argv);
  const id = parseTaskId(flags.task, 'trace');
  const { model, shownPath } = openTrace(flags.trace as string | undefined, io);
  const json = flags.json === true;
  const tree = buildTraceTree(model, pickTask(model, id, shownPath), { maxChildren: json ? 0 : 30 });
  const style = createStyle(useColor(io, flags));
  if (json) {
    await write(io.stdout, toJson({ notes: model.notes, ...tree }));
  } else {
    const contexts = loadContexts(createSourceReader(model.trace.header.cwd), [tree.focus?.site]);
    await write(io.stdout, renderTraceTree(tree, { style, contexts }));
    await write(io.stderr, renderNotes(model.notes, style));
  }
  return ExitCode.ok;
}
