/**
 * The differential check at fixture level: every fixture project is built the way a user
 * builds it — with the plugin (TypeScript 5.9 + ts-patch 3, TypeScript 6 + ts-patch 4) and
 * without it (plain tsc) — and each program must print the same stdout and end with the
 * same exit code either way. The uninstrumented run is also pinned to the output below, so
 * a fixture that stops doing what its header comment says fails here too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildFixture,
  buildFixtureWithoutPlugin,
  entryOf,
  FIXTURES,
  type FixtureBuild,
  type FixtureRun,
  runFixture,
} from './helpers/fixtures';

/** stdout of each program, keyed by `<fixture>/<entry>`. */
const EXPECTED_STDOUT: Record<string, string> = {
  'nested-chain/main.js': `GET /users/123 -> 200 Alice (pro)
GET /users/7 -> 200 Bob (free)
done
`,
  'deep-failure/main.js': `account 7: balance 42
request for user 123 failed: connection timeout
refreshStock: upstream returned 503 for sku-1, rethrowing
inventory sync failed: upstream returned 503 for sku-1
main finished
`,
  'deep-failure/unhandled.js': `worker started
processing job 99
`,
  'never-settles/main.js': `deploying v2.4.1
notified 2 reviewers, waiting for approval…
cache warm
`,
  'concurrent/main.js': `profile:42 orders=2 notifications=2
fastest replica: us-east
shard-a synced
failed: quota exceeded
shard-c synced
all done
`,
  'methods/main.js': `bootstrap: 2 steps
load: {"id":1,"name":"Grace","role":"member"}
loadAll: Linus, Barbara
admin: {"id":4,"name":"Ada","role":"admin"}
router.handlers.get: 1 arg(s) for /users
handler: handled
app.dispatch: ok /health
names: default_1 create load (empty) get handler #refresh.name=_UserService_refresh
lengths: 1 1 1 1 0
isAsyncFunction: true true true true true true true
`,
  'generators/main.js': `orders page 1: orders-1a orders-1b
orders page 2: orders-2a orders-2b
orders page 3: orders-3a orders-3b
heartbeat 3, stopping
heartbeat stopped after 3 beats
feeds: news-1a, news-2a, sports-1a (6 order items)
`,
  'top-level-await/main.mjs': `config: loading
config: loaded eu-central
main: starting
main: connected to eu-central-db-3
main: done
`,
  'allowjs/main.js': `readMany: ALPHA, BETA
drainQueue: GAMMA+DELTA
done
`,
  'demo-service/main.js': `demo-service: 30 requests, pool of 4 connections, acquire timeout 200ms
completed: 22
slow (> 1s): GET /reports/export
failed: 7 (acquire timeout after 200ms): requests 12, 13, 14, 15, 16, 17, 18
still waiting at exit: 1 (GET /events/orders)
`,
  'abandoned-generators/main.js': `50 generators dropped, sum 2500; the kept one went on to 1001
`,
};

const BUILD_TIMEOUT = 240_000;

/** The emitted code loads the runtime hooks (docs/internals.md, section 1). */
function loadsHooks(build: FixtureBuild, file: string): boolean {
  return readFileSync(join(build.dir, build.outDir, file), 'utf8').includes('async-inspect/hooks');
}

/**
 * Emitted files that must load the hooks: those whose source (found through the source
 * map) has an async function or an await outside comments. Every other file stays as it was.
 */
function expectInstrumentedFiles(build: FixtureBuild, instrumented: boolean): void {
  const outDir = join(build.dir, build.outDir);
  const emitted = readdirSync(outDir).filter((f) => /\.[cm]?js$/.test(f));
  expect(emitted.length).toBeGreaterThan(0);
  for (const file of emitted) {
    const map = JSON.parse(readFileSync(join(outDir, `${file}.map`), 'utf8')) as { sources: string[] };
    const source = readFileSync(join(outDir, map.sources[0]), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    const expected = instrumented && /\b(async|await)\b/.test(source);
    expect(loadsHooks(build, file), `${build.outDir}/${file} ${expected ? 'must' : 'must not'} load the hooks`).toBe(expected);
  }
}

function summary(run: FixtureRun): string {
  return `exit ${run.code}${run.signal ? ` (${run.signal})` : ''}${run.timedOut ? ' (timed out)' : ''}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
}

/** Uninstrumented runs, made once per fixture, entry and TypeScript version. */
const plainRuns = new Map<string, Promise<FixtureRun>>();

function runPlain(name: string, file: string, ts: '5' | '6'): Promise<FixtureRun> {
  const key = `${name}/${file}/${ts}`;
  let run = plainRuns.get(key);
  if (!run) {
    run = buildFixtureWithoutPlugin(name, { ts }).then((build) => runFixture(name, entryOf(build, file)));
    plainRuns.set(key, run);
  }
  return run;
}

describe.each(FIXTURES.map((f) => [f.name, f] as const))('fixture %s', (name, fixture) => {
  describe.each([
    ['TypeScript 5.9', '5'],
    ['TypeScript 6', '6'],
  ] as const)('%s', (_label, ts) => {
    it(
      'compiles without the plugin, and its programs print what they should',
      async () => {
        const plain = await buildFixtureWithoutPlugin(name, { ts });
        expect(plain.output).toBe('');
        expectInstrumentedFiles(plain, false);
        for (const entry of fixture.entries) {
          const run = await runPlain(name, entry.file, ts);
          expect(run.stdout, summary(run)).toBe(EXPECTED_STDOUT[`${name}/${entry.file}`]);
          expect(run.code, summary(run)).toBe(entry.code);
          expect(run.traceFiles).toEqual([]);
        }
      },
      BUILD_TIMEOUT,
    );

    it(
      `compiles with the plugin (ts-patch ${ts === '5' ? 3 : 4}) into code that loads the hooks`,
      async () => {
        const instrumented = await buildFixture(name, { ts });
        expect(instrumented.output).toBe('');
        expectInstrumentedFiles(instrumented, true);
      },
      BUILD_TIMEOUT,
    );

    for (const entry of fixture.entries) {
      it(
        `${entry.file}: same stdout and exit code with and without the plugin`,
        async () => {
          const instrumented = await buildFixture(name, { ts });
          const plainRun = await runPlain(name, entry.file, ts);
          expect(plainRun.code, summary(plainRun)).toBe(entry.code);

          const run = await runFixture(name, entryOf(instrumented, entry.file));
          expect(run.stdout, summary(run)).toBe(plainRun.stdout);
          expect(run.code, summary(run)).toBe(plainRun.code);
          expect(run.signal, summary(run)).toBe(plainRun.signal);
          if (plainRun.stderr === '') {
            // The runtime must not talk on the program's stderr (and the "runtime missing"
            // fallback would say so there).
            expect(run.stderr).toBe('');
          } else {
            // An unhandled rejection: Node reports the same error (the stack's file names differ).
            const firstErrorLine = (s: string): string | undefined => s.split('\n').find((l) => /^\w*Error\b/.test(l));
            expect(firstErrorLine(run.stderr), summary(run)).toBe(firstErrorLine(plainRun.stderr));
          }
          expect(run.traceFiles.length, `no trace written in ${run.traceDir}`).toBeGreaterThan(0);
        },
        BUILD_TIMEOUT,
      );
    }
  });
});
