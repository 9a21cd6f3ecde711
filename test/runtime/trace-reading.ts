/** Test helpers: read a run's trace and name its sites the way a reader would. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { decodeTrace, type ParsedTrace, type SnapshotFrame } from '../../format';
import { buildFixture, buildFixtureWithoutPlugin, entryOf, fixtureDir, runFixture, type FixtureBuild } from '../helpers/fixtures';

/** A fixture built with the plugin, and what its uninstrumented build prints (the expected output). */
export async function buildWithExpectedOutput(name: string, entry = 'main.js'): Promise<{ plugin: FixtureBuild; expectedStdout: string }> {
  const [plugin, plain] = await Promise.all([buildFixture(name), buildFixtureWithoutPlugin(name)]);
  return { plugin, expectedStdout: (await runFixture(name, entryOf(plain, entry))).stdout };
}

/**
 * Runs a fixture's build with RLIMIT_FSIZE set to `kib` KiB (`ulimit -f`): a write past it
 * fails with EFBIG, the way a full disk fails with ENOSPC — the same failure path,
 * reproducible without root.
 */
export function runWithFileSizeLimit(fixture: string, build: FixtureBuild, kib: number, traceDir: string): SpawnSyncReturns<string> {
  return spawnSync('sh', ['-c', `ulimit -f ${kib} && exec "$0" "$@"`, process.execPath, entryOf(build, 'main.js')], {
    cwd: fixtureDir(fixture),
    env: { PATH: process.env.PATH, ASYNC_INSPECT_DIR: traceDir },
    encoding: 'utf8',
  });
}

export function readOnlyTrace(traceFiles: string[]): ParsedTrace {
  if (traceFiles.length !== 1) throw new Error(`expected one trace file, found ${traceFiles.length}: ${traceFiles.join(', ')}`);
  return decodeTrace(readFileSync(traceFiles[0]));
}

/** `name file:line:column` of a function site, or `file:line:column text` of an await site. */
export function siteLabel(trace: ParsedTrace, id: number): string {
  const site = trace.sites.get(id);
  if (!site) return `?${id}`;
  const at = `${site.source.file}:${site.line}:${site.column}`;
  return site.type === 'function' ? `${site.name} ${at}` : `${at} ${site.text}`;
}

/** Pending frames of a snapshot as `function @ await site`, from the root down. */
export function pendingChain(trace: ParsedTrace, frames: SnapshotFrame[], leafFunction: string): string[] {
  const byId = new Map(frames.map((f) => [f.frame, f]));
  let frame = frames.find((f) => trace.sites.get(f.fn)?.type === 'function' && siteLabel(trace, f.fn).startsWith(`${leafFunction} `));
  const chain: string[] = [];
  while (frame) {
    chain.unshift(`${siteLabel(trace, frame.fn).split(' ')[0]} @ ${siteLabel(trace, frame.site)}`);
    frame = byId.get(frame.parent);
  }
  return chain;
}
