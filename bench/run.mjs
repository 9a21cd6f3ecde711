// The runtime's cost, measured as ratios against the same program built without the
// plugin, in the same run: an await-heavy chain (speed) and a million completed tasks
// (memory), and the same speed comparison with both builds in one process (paired). Run
// with `npm run bench`; `--quick` for fewer rounds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_INLINING_BUDGET } from '../dist/runtime/config.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const out = join(here, 'out');
const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 21;
const calls = quick ? 150000 : 300000;
const tasks = quick ? 200000 : 1000000;

function node(args, env = {}) {
  return execFileSync(process.execPath, args, { cwd: here, env: { ...process.env, ...env }, encoding: 'utf8' });
}

/** The program four ways: CommonJS (the main figures) and ES module output, each with and without the plugin. */
function build() {
  rmSync(out, { recursive: true, force: true });
  const tsc = join(repo, 'node_modules/typescript/bin/tsc');
  const tspc = join(repo, 'node_modules/ts-patch/bin/tspc.js');
  node([tsc, '-p', 'await-chain', '--outDir', join(out, 'plain')]);
  node([tspc, '-p', 'await-chain', '--outDir', join(out, 'instrumented')]);
  node([tsc, '-p', 'await-chain/tsconfig.esm.json', '--outDir', join(out, 'plain-esm')]);
  node([tspc, '-p', 'await-chain/tsconfig.esm.json', '--outDir', join(out, 'instrumented-esm')]);
  for (const dir of ['plain-esm', 'instrumented-esm']) writeFileSync(join(out, dir, 'package.json'), '{ "type": "module" }\n');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Traces of the speed runs go to memory-backed /dev/shm when there is one: the write calls
// still cost what they cost, but the kernel's later writeback of ~50 MB per recording run
// does not slow down whichever run comes next.
function traceDirForSpeed() {
  try {
    const dir = mkdtempSync('/dev/shm/async-inspect-bench-');
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  } catch {
    return join(out, 'traces');
  }
}

/**
 * Deletes the traces in `dir`, returning their size: every run starts with the same empty
 * directory instead of behind hundreds of MiB the earlier runs left in memory.
 */
function removeTraces(dir) {
  let bytes = 0;
  for (const f of readdirSync(dir)) {
    bytes += statSync(join(dir, f)).size;
    rmSync(join(dir, f));
  }
  return bytes;
}

function speed(traces) {
  const recording = { ASYNC_INSPECT: '1', ASYNC_INSPECT_DIR: traces };
  // The recording runtime raises V8's inlining budget (runtime/v8-tuning.ts). Two rows show
  // what that does: recording with V8's default budget, and the plain build run with the
  // raised budget (it should not get faster by itself: the gain is the hooks').
  const variants = {
    plain: { dir: 'plain', env: {} },
    recording: { dir: 'instrumented', env: recording, base: 'plain' },
    'rec. untuned': { dir: 'instrumented', env: { ...recording, ASYNC_INSPECT_INLINING_BUDGET: '0' }, base: 'plain' },
    'plain tuned': { dir: 'plain', env: {}, nodeArgs: [`--max-inlined-bytecode-size-cumulative=${DEFAULT_INLINING_BUDGET}`], base: 'plain' },
    off: { dir: 'instrumented', env: { ASYNC_INSPECT: '0' }, base: 'plain' },
    'plain esm': { dir: 'plain-esm', env: {} },
    'rec. esm': { dir: 'instrumented-esm', env: recording, base: 'plain esm' },
    'off esm': { dir: 'instrumented-esm', env: { ASYNC_INSPECT: '0' }, base: 'plain esm' },
  };
  // Per variant and run: the whole timed run, and its fastest of ten slices scaled to the
  // whole run ("best slice"). On a shared machine a run's time swings by half with what
  // the neighbours do; the fastest slice (each still holds ~20 ring hand-offs and its
  // share of garbage collections) is what the code costs when nothing else interferes.
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const best = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  let traceBytes = 0;
  const names = Object.keys(variants);
  for (let round = 0; round < rounds; round++) {
    // Rotate the order so that no variant always runs first on a cold or warm machine.
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      const { dir, env, nodeArgs = [] } = variants[name];
      const result = JSON.parse(node([...nodeArgs, join(out, dir, 'speed.js'), String(calls)], env));
      times[name].push(result.ms);
      best[name].push(Math.min(...result.slices) * result.slices.length);
      traceBytes += removeTraces(traces);
    }
  }
  const awaits = calls * 7; // top's 2, the two middles' 2 each, and the loop's await of top
  // Two views of the same runs. Per variant, the median over its runs ("median",
  // "ns/await"). And the ratio to plain per round — the plain run and the variant's run a
  // few hundred ms apart — whose median is the figure the target is about: on a shared
  // machine the speed of a whole process swings by half from one run to the next (see
  // "plain alone" below), and a round's two runs mostly share the machine's state. "whole
  // run" times each run from end to end, "best slice" takes each run's fastest slice.
  const perRound = (values, name) => values[name].map((v, i) => v / values[variants[name].base][i]);
  const describe = (ratios) => {
    const sorted = [...ratios].sort((a, b) => a - b);
    return `${median(ratios).toFixed(2)}x (${sorted[0].toFixed(2)}-${sorted[sorted.length - 1].toFixed(2)})`;
  };
  const cell = (values, name) => {
    const m = median(values[name]);
    const ratio = variants[name].base ? describe(perRound(values, name)) : '';
    return `${`${m.toFixed(0)} ms`.padStart(8)} ${((m * 1e6) / awaits).toFixed(0).padStart(8)}  ${ratio.padEnd(22)}`;
  };
  const header = `${'median'.padStart(8)} ${'ns/await'.padStart(8)}  ${'ratio: median (range)'.padEnd(22)}`;
  console.log(`speed: ${calls} calls x 7 frames x 7 awaits on settled values, ${rounds} rounds (each variant once per round)`);
  console.log(`${''.padEnd(15)}${'whole run'.padEnd(header.length + 2)}best slice`);
  console.log(`${''.padEnd(15)}${header}  ${header}`.trimEnd());
  for (const name of names) console.log(`  ${name.padEnd(12)} ${cell(times, name)}  ${cell(best, name)}`.trimEnd());
  const spread = [...times.plain].sort((a, b) => a - b);
  console.log(`  plain alone: ${spread[0].toFixed(0)}-${spread[spread.length - 1].toFixed(0)} ms per run across the rounds (the machine's own noise)`);
  console.log(`  recording and off: CommonJS output, against plain; rec. esm and off esm: ES module output, against plain esm`);
  console.log(`  rec. untuned: recording with V8's default inlining budget (ASYNC_INSPECT_INLINING_BUDGET=0); plain tuned: plain with the budget recording sets`);
  const traceFiles = rounds * names.filter((name) => variants[name].env.ASYNC_INSPECT_DIR).length;
  console.log(`  traces written: ${traceFiles} files, ${(traceBytes / traceFiles / 1048576).toFixed(1)} MiB each (removed after each run)`);
  const summary = (name) => ({ whole: median(perRound(times, name)), best: median(perRound(best, name)) });
  return { recording: summary('recording'), untuned: summary('rec. untuned'), off: summary('off') };
}

// The same comparison with both builds in one process, alternating slices of 20,000 calls
// (bench/paired.mjs): the machine's swings, which last longer than a slice, then hit both
// builds alike. Per variant, five processes (two with --quick) of 60 pairs; the figure is
// the median of all pairs' ratios, the range that of each process's median.
function paired(traces) {
  const variants = {
    off: { plain: 'plain', instrumented: 'instrumented', env: { ASYNC_INSPECT: '0' } },
    recording: { plain: 'plain', instrumented: 'instrumented', env: { ASYNC_INSPECT: '1', ASYNC_INSPECT_DIR: traces } },
    'off esm': { plain: 'plain-esm', instrumented: 'instrumented-esm', env: { ASYNC_INSPECT: '0' } },
    'rec. esm': { plain: 'plain-esm', instrumented: 'instrumented-esm', env: { ASYNC_INSPECT: '1', ASYNC_INSPECT_DIR: traces } },
  };
  const processes = quick ? 2 : 5;
  console.log(`paired: plain and instrumented build in one process, ${processes} processes x 60 alternating slices of 20000 calls each`);
  const result = {};
  for (const [name, { plain, instrumented, env }] of Object.entries(variants)) {
    const all = [];
    const perProcess = [];
    for (let run = 0; run < processes; run++) {
      const times = JSON.parse(node(['--expose-gc', join(here, 'paired.mjs'), join(out, plain), join(out, instrumented)], env));
      const ratios = times.instrumented.map((ms, i) => ms / times.plain[i]);
      all.push(...ratios);
      perProcess.push(median(ratios));
      removeTraces(traces);
    }
    perProcess.sort((a, b) => a - b);
    result[name] = median(all);
    console.log(
      `  ${name.padEnd(12)} ${result[name].toFixed(2)}x (per process ${perProcess[0].toFixed(2)}-${perProcess[perProcess.length - 1].toFixed(2)})`,
    );
  }
  return result;
}

function memory() {
  const traces = join(out, 'traces-memory');
  mkdirSync(traces, { recursive: true });
  const result = JSON.parse(
    node(['--expose-gc', join(out, 'instrumented', 'memory.js'), String(tasks)], { ASYNC_INSPECT: '1', ASYNC_INSPECT_DIR: traces, ASYNC_INSPECT_MAX_MB: '64' }),
  );
  const plain = JSON.parse(node(['--expose-gc', join(out, 'plain', 'memory.js'), String(tasks)]));
  console.log(`memory: ${result.tasks} completed tasks (7 frames each), sampled every 100k`);
  console.log(`  instrumented rss MB: ${result.samples.map((s) => s.rssMB).join(' ')}`);
  console.log(`  instrumented heap MB: ${result.samples.map((s) => s.heapMB).join(' ')}`);
  console.log(`  plain        rss MB: ${plain.samples.map((s) => s.rssMB).join(' ')}`);
  const file = readdirSync(traces).map((f) => statSync(join(traces, f)).size)[0] ?? 0;
  const r = result.recorder;
  console.log(`  trace file: ${(file / 1048576).toFixed(1)} MiB (cap 64 MiB); events written ${r.written}, dropped and counted ${r.dropped}`);
  const s = result.samples;
  const growth = s.length > 2 ? s[s.length - 1].rssMB - s[1].rssMB : 0;
  console.log(`  rss change from 100k to ${result.tasks / 1000}k tasks: ${growth >= 0 ? '+' : ''}${growth} MB`);
  return { growthMB: growth };
}

/** `1.38x whole / 1.38x best slice` */
const ratios = (r) => `${r.whole.toFixed(2)}x whole / ${r.best.toFixed(2)}x best slice`;

build();
const traces = traceDirForSpeed();
const s = speed(traces);
const p = paired(traces);
const m = memory();
console.log(
  `\nsummary (medians of the per-round ratios): recording ${ratios(s.recording)} (target <= 1.5x), ` +
    `off ${ratios(s.off)} (target <= 1.05x), rss growth ${m.growthMB} MB over the run; ` +
    `recording with V8's default inlining budget ${ratios(s.untuned)}; ` +
    `paired in one process: recording ${p.recording.toFixed(2)}x, off ${p.off.toFixed(2)}x`,
);
