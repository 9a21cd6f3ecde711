// The runtime's cost, measured as ratios against the same program built without the
// plugin, in the same run: an await-heavy chain (speed) and a million completed tasks
// (memory). Run with `npm run bench`; `--quick` for fewer rounds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const out = join(here, 'out');
const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 9;
const calls = quick ? 150000 : 300000;
const tasks = quick ? 200000 : 1000000;

function node(args, env = {}) {
  return execFileSync(process.execPath, args, { cwd: here, env: { ...process.env, ...env }, encoding: 'utf8' });
}

function build() {
  rmSync(out, { recursive: true, force: true });
  node([join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'await-chain', '--outDir', join(out, 'plain')]);
  node([join(repo, 'node_modules/ts-patch/bin/tspc.js'), '-p', 'await-chain', '--outDir', join(out, 'instrumented')]);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fastest = (xs) => Math.min(...xs);

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

function speed() {
  const traces = traceDirForSpeed();
  const variants = {
    plain: { dir: 'plain', env: {} },
    recording: { dir: 'instrumented', env: { ASYNC_INSPECT: '1', ASYNC_INSPECT_DIR: traces } },
    off: { dir: 'instrumented', env: { ASYNC_INSPECT: '0' } },
  };
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const names = Object.keys(variants);
  for (let round = 0; round < rounds; round++) {
    // Rotate the order so that no variant always runs first on a cold or warm machine.
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      const { dir, env } = variants[name];
      const result = JSON.parse(node([join(out, dir, 'speed.js'), String(calls)], env));
      times[name].push(result.ms);
    }
  }
  const base = median(times.plain);
  const baseFastest = fastest(times.plain);
  const awaits = calls * 8;
  // The median is what a run costs; the fastest run is least disturbed by other load on a
  // shared machine. Both are ratios to the plain build within this same run.
  console.log(`speed: ${calls} calls x 7 frames x 8 awaits on settled values, ${rounds} runs each`);
  console.log(`             median  ns/await  ratio   fastest  ratio`);
  for (const name of names) {
    const m = median(times[name]);
    const f = fastest(times[name]);
    console.log(
      `  ${name.padEnd(10)} ${m.toFixed(0).padStart(4)} ms  ${((m * 1e6) / awaits).toFixed(0).padStart(6)}  ${(m / base).toFixed(2)}x  ${f.toFixed(0).padStart(6)} ms  ${(f / baseFastest).toFixed(2)}x`,
    );
  }
  const traceBytes = readdirSync(traces).reduce((n, f) => n + statSync(join(traces, f)).size, 0);
  console.log(`  traces written: ${readdirSync(traces).length} files, ${(traceBytes / 1048576).toFixed(1)} MiB, in ${traces}`);
  return {
    recording: median(times.recording) / base,
    off: median(times.off) / base,
    recordingFastest: fastest(times.recording) / baseFastest,
    offFastest: fastest(times.off) / baseFastest,
  };
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

build();
const s = speed();
const m = memory();
console.log(
  `\nsummary: recording ${s.recording.toFixed(2)}x median / ${s.recordingFastest.toFixed(2)}x fastest (target <= 1.5x), ` +
    `off ${s.off.toFixed(2)}x / ${s.offFastest.toFixed(2)}x (target <= 1.05x), rss growth ${m.growthMB} MB over the run`,
);
