/** `async-inspect analyze`: summary, --failures, --slow, --correlate. */

import { analyzeCorrelations } from '../analysis/correlate';
import { analyzeFailures, failureSite } from '../analysis/failures';
import { analyzeSlow } from '../analysis/slow';
import { summarize } from '../analysis/summary';
import { helpFlag, outputFlags, parseCommandArgs, traceFlags, type CommandSpec } from '../args';
import { parseDuration } from '../duration';
import { ExitCode, usageError } from '../errors';
import { useColor, write, type CommandIO } from '../io';
import { openTrace } from '../load/open-trace';
import { renderCorrelations } from '../render/correlate';
import { renderFailures } from '../render/failures';
import { renderNotes } from '../render/notes';
import { renderSlow } from '../render/slow';
import { createStyle } from '../render/style';
import { renderSummary } from '../render/summary';
import { toJson } from '../render/json';
import { createSourceReader, loadContexts } from '../source/code-context';

export const spec: CommandSpec = {
  name: 'analyze',
  summary: 'what happened: task counts, stuck tasks, failures, slow tasks',
  usage: [
    'async-inspect analyze [--stuck-threshold <duration>]',
    'async-inspect analyze --failures',
    'async-inspect analyze --slow [--threshold <duration>]',
    'async-inspect analyze --correlate [--stuck-threshold <duration>]',
  ],
  description:
    'Without a flag: tasks by outcome, tasks pending longer than the stuck threshold with the\n' +
    'await they are blocked at and its code, the slowest awaits and the most failing sites.\n' +
    'Durations are written like 250ms, 1s, 1.5s, 2m.',
  flags: {
    failures: { type: 'boolean', description: 'every failure with its async call chain and code; identical ones grouped' },
    'show-failures': { type: 'boolean', description: 'same as --failures' },
    slow: { type: 'boolean', description: 'tasks that took at least --threshold, with where the time went' },
    threshold: { type: 'string', value: '<duration>', description: 'what counts as slow for --slow', default: '1s' },
    'stuck-threshold': { type: 'string', value: '<duration>', description: 'how long a task must be pending to count as stuck (summary, --correlate)', default: '1s' },
    top: { type: 'string', value: '<n>', description: 'how many stuck (summary) or slow (--slow) tasks to list, the worst first (0 for all)', default: '20' },
    correlate: { type: 'boolean', description: 'failures and stuck tasks grouped by the await they were blocked at' },
    ...traceFlags,
    ...outputFlags,
    ...helpFlag,
  },
  examples: ['async-inspect analyze', 'async-inspect analyze --failures', 'async-inspect analyze --slow --threshold 500ms --trace .async-inspect/'],
};

export async function run(io: CommandIO): Promise<number> {
  const flags = parseCommandArgs(spec, io.argv);
  const failures = flags.failures === true || flags['show-failures'] === true;
  const views = [failures, flags.slow === true, flags.correlate === true].filter(Boolean).length;
  if (views > 1) throw usageError('analyze: choose one of --failures, --slow, --correlate');
  if (flags.threshold !== undefined && flags.slow !== true) throw usageError('analyze: --threshold goes with --slow (for stuck tasks use --stuck-threshold)');
  if (flags['stuck-threshold'] !== undefined && (failures || flags.slow === true)) {
    throw usageError(`analyze: --stuck-threshold goes with the summary or --correlate, not with ${failures ? '--failures' : '--slow (use --threshold)'}`);
  }
  if (flags.top !== undefined && (failures || flags.correlate === true)) {
    throw usageError(`analyze: --top goes with the summary (stuck tasks) or --slow, not with ${failures ? '--failures' : '--correlate'}`);
  }
  const threshold = parseDuration((flags.threshold as string | undefined) ?? '1s', '--threshold');
  const stuckThreshold = parseDuration((flags['stuck-threshold'] as string | undefined) ?? '1s', '--stuck-threshold');

  const top = parseCount(flags.top, '--top', 20);
  const { model } = openTrace(flags.trace as string | undefined, io);
  const style = createStyle(useColor(io, flags));
  const reader = createSourceReader(model.trace.header.cwd);
  let data: object;
  let text: () => string;
  if (failures) {
    const report = analyzeFailures(model);
    data = report;
    const contexts = loadContexts(reader, report.groups.map((g) => failureSite(g.example).site));
    text = () => renderFailures(report, { style, contexts });
  } else if (flags.slow === true) {
    const report = analyzeSlow(model, { threshold, top });
    data = report;
    text = () => renderSlow(report, { style });
  } else if (flags.correlate === true) {
    const report = analyzeCorrelations(model, { stuckThreshold });
    data = report;
    text = () => renderCorrelations(report, { style });
  } else {
    const summary = summarize(model, { stuckThreshold, topStuck: top });
    data = summary;
    const contexts = loadContexts(reader, summary.stuck.map((s) => s.blockedAt));
    text = () => renderSummary(summary, { style, contexts });
  }
  if (flags.json === true) {
    await write(io.stdout, toJson({ notes: model.notes, ...data }));
  } else {
    await write(io.stdout, text());
    await write(io.stderr, renderNotes(model.notes, style));
  }
  return ExitCode.ok;
}

function parseCount(value: string | boolean | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw usageError(`${flag}: "${String(value)}" is not a count (0, 1, 2, …)`);
  return n;
}
