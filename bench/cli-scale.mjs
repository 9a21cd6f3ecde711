// Scale check of the CLI: writes a trace of 1,000,000 events with the format writer
// (31,250 tasks of three nested frames, a ten-step await loop in the leaf, every tenth task
// failing, every thousandth still pending in the final snapshot), then times
// `analyze`, `analyze --failures`, `export --json` and `export --csv` on it and reports each
// one's wall time and peak RSS (from /usr/bin/time). Goal: each under 5 s.
// Run after `npm run build`: node bench/cli-scale.mjs [--events N]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const require = createRequire(import.meta.url);
const f = require(join(repo, 'dist/format/index.js'));

const arg = process.argv.indexOf('--events');
const target = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000;
const out = join(here, 'out', 'cli-scale');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const tracePath = join(out, 'scale.aitrace');

// ---- write the trace -------------------------------------------------------------------
const source = 'export async function handle() {}\n';
const table = {
  v: 1, file: 'src/service.ts', root: out, hash: createHash('sha256').update(source).digest('hex').slice(0, 16),
  functions: [['handle', 1, 1, ['req'], 'function'], ['loadUser', 5, 1, ['id'], 'function'], ['query', 9, 1, ['sql'], 'function']],
  awaits: [[0, 2, 3, 'loadUser(req.id)', 'await'], [1, 6, 3, 'query(sql)', 'await'], [2, 10, 3, 'socket.read()', 'await']],
};
const FN = [1, 2, 3];
const AT = [4, 5, 6];
const fd = openSync(tracePath, 'w', 0o600);
writeSync(fd, f.encodeMagic());
writeSync(fd, f.encodeJsonRecord(f.RecordType.header, { format: f.TRACE_FORMAT_VERSION, runtime: 'bench', pid: 1, argv: ['node', 'service.js'], cwd: out, startTime: Date.now(), node: process.version, mode: 'development' }));
writeSync(fd, f.encodeJsonRecord(f.RecordType.sites, { base: 1, table }));

const BATCH = 8192;
const rows = new Float64Array(BATCH * f.EVENT_FIELDS);
let n = 0;
let events = 0;
let lastTime = 0;
const emit = (kind, site, frame, arg, ms) => {
  lastTime = Math.max(lastTime, ms);
  const at = n * f.EVENT_FIELDS;
  rows[at] = f.encodeEventCode(kind, site);
  rows[at + 1] = frame;
  rows[at + 2] = arg;
  rows[at + 3] = ms;
  events++;
  if (++n === BATCH) flush();
};
const flush = () => {
  if (n === 0) return;
  writeSync(fd, f.encodeEventRows(rows.subarray(0, n * f.EVENT_FIELDS)));
  n = 0;
};
const K = f.EventKind;
const pending = [];
const errors = [];
let frame = 0;
for (let task = 1; events < target; task++) {
  const t = task * 0.5;
  const [root, mid, leaf] = [++frame, ++frame, ++frame];
  emit(K.enter, FN[0], root, -task, t);
  emit(K.enter, FN[1], mid, root, t);
  emit(K.enter, FN[2], leaf, mid, t);
  emit(K.suspend, AT[2], leaf, 0, t);
  emit(K.suspend, AT[1], mid, 0, t);
  emit(K.suspend, AT[0], root, 0, t);
  for (let i = 1; i <= 10; i++) {
    emit(K.resume, 0, leaf, 0, t + i * 2);
    emit(K.suspend, AT[2], leaf, 0, t + i * 2);
  }
  if (task % 1000 === 0) {
    pending.push({ frame: leaf, task, parent: mid, fn: FN[2], site: AT[2], state: 'suspended', start: t, since: t + 20, suspends: 11 });
    pending.push({ frame: mid, task, parent: root, fn: FN[1], site: AT[1], state: 'suspended', start: t, since: t, suspends: 1 });
    pending.push({ frame: root, task, parent: 0, fn: FN[0], site: AT[0], state: 'suspended', start: t, since: t, suspends: 1 });
    continue;
  }
  const fails = task % 10 === 0;
  if (fails) errors.push({ id: task, name: 'Error', message: task % 20 === 0 ? 'connection reset' : 'query timeout' });
  emit(fails ? K.throw : K.resume, 0, leaf, fails ? task : 0, t + 25);
  if (!fails) emit(K.return, 0, leaf, 0, t + 25);
  emit(fails ? K.throw : K.resume, 0, mid, fails ? task : 0, t + 25);
  if (!fails) emit(K.return, 0, mid, 0, t + 26);
  emit(fails ? K.throw : K.resume, 0, root, fails ? task : 0, t + 26);
  if (!fails) emit(K.return, 0, root, 0, t + 27);
}
flush();
const end = lastTime + 1000;
writeSync(fd, f.encodeJsonRecord(f.RecordType.errors, { errors }));
writeSync(fd, f.encodeJsonRecord(f.RecordType.snapshot, { reason: 'exit', time: end, exitCode: 0, frames: pending, omittedFrames: 0 }));
writeSync(fd, f.encodeJsonRecord(f.RecordType.end, { time: end, events, droppedEvents: 0 }));
closeSync(fd);
console.log(`trace: ${events.toLocaleString('en')} events, ${frame.toLocaleString('en')} frames, ${(statSync(tracePath).size / 1e6).toFixed(1)} MB`);

// ---- time the CLI ----------------------------------------------------------------------
const cli = join(repo, 'dist/cli/main.js');
const runs = [
  ['analyze'],
  ['analyze', '--failures'],
  ['analyze', '--slow', '--threshold', '20ms'],
  ['export', '--json', join(out, 'out.json')],
  ['export', '--csv', join(out, 'out.csv')],
  ['export', '--csv', join(out, 'events.csv'), '--table', 'events'],
];
let worst = 0;
for (const args of runs) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', 'peak-rss-kb %M', process.execPath, cli, ...args, '--trace', tracePath], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  const rss = Number(/peak-rss-kb (\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1024;
  worst = Math.max(worst, seconds);
  console.log(`${args.filter((a) => !a.includes('/')).join(' ').padEnd(34)} ${seconds.toFixed(2)} s   peak RSS ${rss.toFixed(0)} MB   stdout ${(result.stdout.length / 1e3).toFixed(0)} kB`);
}
console.log(worst < 5 ? `ok: every command under 5 s (worst ${worst.toFixed(2)} s)` : `TOO SLOW: worst ${worst.toFixed(2)} s`);
