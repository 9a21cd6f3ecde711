// `npm run demo`: builds the bundled example service with the async-inspect plugin (tspc,
// exactly as a user's build), runs it, and shows what the CLI finds in its trace: the
// summary, the failures, the slow and the stuck request, and an export.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(repo, 'fixtures', 'demo-service');
const traces = join(app, '.async-inspect');
const cli = join(repo, 'dist', 'cli', 'main.js');
const wide = process.stdout.isTTY ? Math.min(process.stdout.columns || 88, 100) : 88;

function heading(text) {
  console.log(`\n${'━'.repeat(wide)}\n${text}\n${'━'.repeat(wide)}`);
}

function showCommand(args) {
  console.log(`$ async-inspect ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args, '--trace', traces], { cwd: app, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`async-inspect ${args.join(' ')} exited with ${result.status}`);
}

function cliJson(args) {
  return JSON.parse(execFileSync(process.execPath, [cli, ...args, '--json', '--trace', traces], { cwd: app, encoding: 'utf8' }));
}

if (!existsSync(cli) || !existsSync(join(repo, 'fixtures', 'node_modules', 'async-inspect'))) {
  console.error('demo: the package is not built yet; run `npm install` first (it builds dist/ and links the fixtures)');
  process.exit(1);
}

heading('Building fixtures/demo-service with the async-inspect plugin (tspc -p fixtures/demo-service)');
execFileSync(process.execPath, [join(repo, 'node_modules', 'ts-patch', 'bin', 'tspc.js'), '-p', app], { stdio: 'inherit' });
console.log('built: fixtures/demo-service/dist/');

heading('Running it: 30 requests against a pool of 4 connections (node dist/main.js)');
rmSync(traces, { recursive: true, force: true });
const run = spawnSync(process.execPath, ['dist/main.js'], {
  cwd: app,
  stdio: 'inherit',
  env: { ...process.env, ASYNC_INSPECT_DIR: traces, ASYNC_INSPECT: '1' },
});
console.log(`\nexit code ${run.status}; trace written to ${relative(repo, traces)}/`);

heading('1. What happened: tasks, the stuck one with its code, the slowest and most failing sites');
showCommand(['analyze']);

heading('2. Why requests failed: each failure with its async call chain, identical ones grouped');
showCommand(['analyze', '--failures']);

heading('3. What slowed the slow request down: its frames and awaits by time');
showCommand(['analyze', '--slow', '--threshold', '1s']);

heading('4. What the failures have in common');
showCommand(['analyze', '--correlate']);

const summary = cliJson(['analyze']);
const stuck = summary.stuck?.[0]?.task;
if (stuck !== undefined) {
  heading(`5. The stuck task #${stuck}: its async stack, and where it waits`);
  showCommand(['trace', '--task', String(stuck)]);
}

// The slowest request that finished (the stuck one is slow too, but shown above).
const slow = cliJson(['analyze', '--slow', '--threshold', '1s']).tasks.find((t) => t.outcome === 'completed')?.task;
if (slow !== undefined) {
  heading(`6. The slow task #${slow} step by step`);
  showCommand(['timeline', '--task', String(slow)]);
}

heading('7. Everything as JSON, for scripts and other tools');
const out = join(traces, 'export.json');
showCommand(['export', '--json', out]);
