/**
 * Builds and runs the fixture projects under fixtures/ the way a user would: `tspc` with the
 * plugin named in the fixture's tsconfig (resolved through fixtures/node_modules/async-inspect,
 * see scripts/link-self.mjs), or plain `tsc` without it, then `node <outDir>/<entry>` from the
 * fixture's directory.
 *
 * Each variant builds into its own directory, so variants never overwrite each other:
 *
 * | variant     | compiler                             | outDir           |
 * |-------------|--------------------------------------|------------------|
 * | `ts5`       | ts-patch 3 `tspc` + TypeScript 5.9   | `dist`           |
 * | `ts6`       | ts-patch 4 `tspc` + TypeScript 6     | `dist-ts6`       |
 * | `plain`     | TypeScript 5.9 `tsc`, no plugin      | `dist-plain`     |
 * | `plain-ts6` | TypeScript 6 `tsc`, no plugin        | `dist-plain-ts6` |
 *
 * Vitest runs test files in parallel worker processes, so a build takes a lock directory
 * next to the fixture and writes a stamp (a hash of the sources, the tsconfig, the compiler
 * and, for plugin builds, the built transformer) when it succeeds; a later build with the
 * same stamp is skipped. Within one process each build runs once.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The repository root. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
/** fixtures/ */
export const FIXTURES_DIR = join(REPO_ROOT, 'fixtures');

const NODE_MODULES = join(REPO_ROOT, 'node_modules');
const STAMP_FILE = '.build-stamp';
const PREFIX = 'fixtures helper:';

export type FixtureVariant = 'ts5' | 'ts6' | 'plain' | 'plain-ts6';

export interface BuildFixtureOptions {
  /** TypeScript major version to compile with: '5' (5.9, ts-patch 3) or '6' (6.0, ts-patch 4). Default '5'. */
  ts?: '5' | '6';
}

export interface FixtureBuild {
  name: string;
  variant: FixtureVariant;
  /** Absolute path of the fixture directory. */
  dir: string;
  /** Output directory relative to `dir`, e.g. `dist-ts6`. */
  outDir: string;
  /** Compiler output (diagnostics); empty when the build was reused. */
  output: string;
  /** True when an up-to-date build from an earlier run or another worker was reused. */
  reused: boolean;
}

export interface RunFixtureOptions {
  /** Extra environment variables (override the defaults, including ASYNC_INSPECT_DIR). */
  env?: Record<string, string | undefined>;
  /** Command-line arguments passed to the program. */
  args?: string[];
  /** Options for node itself, before the entry. */
  nodeArgs?: string[];
  /** Kill the program after this many milliseconds. Default 20 000. */
  timeoutMs?: number;
  /** Working directory of the program. Default: the fixture directory. */
  cwd?: string;
}

export interface FixtureRun {
  stdout: string;
  stderr: string;
  /** Exit code, or null when the process was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the run was killed because it exceeded `timeoutMs`. */
  timedOut: boolean;
  /** The fresh trace directory of this run (ASYNC_INSPECT_DIR). */
  traceDir: string;
  /** Absolute paths of the files in `traceDir` after the run, sorted. */
  traceFiles: string[];
}

export interface FixtureEntry {
  /** Emitted entry file, relative to the build's outDir. */
  file: string;
  /** Exit code the program ends with. */
  code: number;
}

export interface FixtureSpec {
  name: string;
  entries: FixtureEntry[];
}

/** Every fixture project and the programs it contains. */
export const FIXTURES: readonly FixtureSpec[] = [
  { name: 'nested-chain', entries: [{ file: 'main.js', code: 0 }] },
  {
    name: 'deep-failure',
    entries: [
      { file: 'main.js', code: 0 },
      { file: 'unhandled.js', code: 1 },
    ],
  },
  { name: 'never-settles', entries: [{ file: 'main.js', code: 0 }] },
  { name: 'concurrent', entries: [{ file: 'main.js', code: 0 }] },
  { name: 'methods', entries: [{ file: 'main.js', code: 0 }] },
  { name: 'generators', entries: [{ file: 'main.js', code: 0 }] },
  { name: 'top-level-await', entries: [{ file: 'main.mjs', code: 0 }] },
  { name: 'allowjs', entries: [{ file: 'main.js', code: 0 }] },
  { name: 'demo-service', entries: [{ file: 'main.js', code: 0 }] },
  { name: 'abandoned-generators', entries: [{ file: 'main.js', code: 0 }] },
];

/** Absolute path of a fixture's directory. */
export function fixtureDir(name: string): string {
  const dir = join(FIXTURES_DIR, name);
  if (!existsSync(join(dir, 'tsconfig.json'))) throw new Error(`${PREFIX} no fixture named ${JSON.stringify(name)}`);
  return dir;
}

/** Path of an emitted file of a build, relative to the fixture directory (what `runFixture` takes). */
export function entryOf(build: FixtureBuild, file: string): string {
  return `${build.outDir}/${file}`;
}

/** Builds a fixture with the async-inspect plugin, through tspc, like a user's build. */
export function buildFixture(name: string, options: BuildFixtureOptions = {}): Promise<FixtureBuild> {
  return cachedBuild(name, options.ts === '6' ? 'ts6' : 'ts5');
}

/** Builds a fixture with plain tsc and the fixture's tsconfig minus the plugin. */
export function buildFixtureWithoutPlugin(name: string, options: BuildFixtureOptions = {}): Promise<FixtureBuild> {
  return cachedBuild(name, options.ts === '6' ? 'plain-ts6' : 'plain');
}

/**
 * Runs `node <entry>` from the fixture directory (or `options.cwd`) with a fresh, empty trace directory.
 * `entry` is relative to the fixture directory, e.g. `dist/main.js` or `entryOf(build, 'main.js')`.
 */
export function runFixture(name: string, entry: string, options: RunFixtureOptions = {}): Promise<FixtureRun> {
  const dir = fixtureDir(name);
  const traceDir = mkdtempSync(join(tmpdir(), `async-inspect-${name}-`));
  createdTraceDirs.push(traceDir);
  const env: Record<string, string | undefined> = { ...process.env };
  // A user's shell has none of these; the test runner's would change what the program does.
  for (const key of Object.keys(env)) {
    if (key === 'NODE_OPTIONS' || key === 'NODE_ENV' || key.startsWith('VITEST') || key.startsWith('ASYNC_INSPECT')) {
      delete env[key];
    }
  }
  env.ASYNC_INSPECT_DIR = traceDir;
  Object.assign(env, options.env);
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolvePromise, reject) => {
    // From another directory the entry is named by its absolute path; from the fixture's own
    // directory as given, so the program sees the argv a user's `node dist/main.js` gives.
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.cwd ? resolve(dir, entry) : entry, ...(options.args ?? [])], {
      cwd: options.cwd ?? dir,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ stdout, stderr, code, signal, timedOut, traceDir, traceFiles: listFiles(traceDir) });
    });
  });
}

/** Deletes the trace directories created by `runFixture` so far (also done at process exit). */
export function removeTraceDirs(): void {
  for (const dir of createdTraceDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

const createdTraceDirs: string[] = [];
process.on('exit', removeTraceDirs);

// ---------------------------------------------------------------------------------------
// Building

interface VariantSpec {
  outDir: string;
  plugin: boolean;
  /** Compiler entry (node script) relative to node_modules. */
  compiler: string;
  /** The TypeScript package the build uses, relative to node_modules. */
  typescript: string;
  /** ts-patch package, for plugin builds. */
  tsPatch?: string;
}

const VARIANTS: Record<FixtureVariant, VariantSpec> = {
  ts5: { outDir: 'dist', plugin: true, compiler: 'ts-patch/bin/tspc.js', typescript: 'typescript', tsPatch: 'ts-patch' },
  ts6: {
    outDir: 'dist-ts6',
    plugin: true,
    compiler: 'ts-patch4/bin/tspc.js',
    typescript: 'typescript6',
    tsPatch: 'ts-patch4',
  },
  plain: { outDir: 'dist-plain', plugin: false, compiler: 'typescript/bin/tsc', typescript: 'typescript' },
  'plain-ts6': { outDir: 'dist-plain-ts6', plugin: false, compiler: 'typescript6/bin/tsc', typescript: 'typescript6' },
};

const builds = new Map<string, Promise<FixtureBuild>>();

function cachedBuild(name: string, variant: FixtureVariant): Promise<FixtureBuild> {
  const key = `${name}\0${variant}`;
  let build = builds.get(key);
  if (!build) {
    build = buildVariant(name, variant);
    builds.set(key, build);
    // A failed build is retried by the next caller instead of failing forever.
    build.catch(() => builds.delete(key));
  }
  return build;
}

async function buildVariant(name: string, variant: FixtureVariant): Promise<FixtureBuild> {
  const dir = fixtureDir(name);
  const spec = VARIANTS[variant];
  if (spec.plugin && !existsSync(join(REPO_ROOT, 'dist', 'transformer', 'index.js'))) {
    throw new Error(`${PREFIX} dist/transformer/index.js is missing: run \`npm run build\` first`);
  }
  if (!existsSync(join(FIXTURES_DIR, 'node_modules', 'async-inspect', 'package.json'))) {
    throw new Error(`${PREFIX} fixtures/node_modules/async-inspect is missing: run \`node scripts/link-self.mjs\``);
  }
  const outDir = join(dir, spec.outDir);
  return withLock(join(dir, `.build-${variant}.lock`), async () => {
    const stamp = computeStamp(dir, variant, spec);
    const stampPath = join(outDir, STAMP_FILE);
    if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) {
      return { name, variant, dir, outDir: spec.outDir, output: '', reused: true };
    }
    rmSync(outDir, { recursive: true, force: true });
    const output = await compile(dir, variant, spec);
    writeFileSync(stampPath, stamp);
    return { name, variant, dir, outDir: spec.outDir, output, reused: false };
  });
}

async function compile(dir: string, variant: FixtureVariant, spec: VariantSpec): Promise<string> {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.TSP_COMPILER_TS_PATH;
  delete env.NODE_OPTIONS;
  let project = dir;
  if (spec.plugin) {
    if (variant === 'ts6') env.TSP_COMPILER_TS_PATH = join(NODE_MODULES, spec.typescript);
  } else {
    // The fixture's own tsconfig with the plugin list emptied and another outDir.
    project = join(dir, `tsconfig.${variant}.generated.json`);
    const config = { extends: './tsconfig.json', compilerOptions: { plugins: [], outDir: spec.outDir } };
    writeFileSync(project, `${JSON.stringify(config, null, 2)}\n`);
  }
  const args = [join(NODE_MODULES, spec.compiler), '-p', project];
  if (variant === 'ts6') args.push('--outDir', join(dir, spec.outDir));
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, args, {
      cwd: dir,
      env: env as NodeJS.ProcessEnv,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 180_000,
    });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number | string; message: string };
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message;
    throw new Error(`${PREFIX} building ${relative(REPO_ROOT, dir)} (${variant}) failed (exit ${e.code}):\n${output}`);
  } finally {
    if (project !== dir) rmSync(project, { force: true });
  }
}

/** A hash of everything the build's output depends on. */
function computeStamp(dir: string, variant: FixtureVariant, spec: VariantSpec): string {
  const hash = createHash('sha256');
  const add = (label: string, data: string | Buffer): void => {
    hash.update(`${label}\0${data.length}\0`).update(data);
  };
  add('variant', variant);
  add('typescript', readFileSync(join(NODE_MODULES, spec.typescript, 'package.json')));
  if (spec.tsPatch) add('ts-patch', readFileSync(join(NODE_MODULES, spec.tsPatch, 'package.json')));
  for (const file of ['package.json', 'tsconfig.json']) add(file, readFileSync(join(dir, file)));
  for (const file of listFiles(join(dir, 'src'))) add(relative(dir, file), readFileSync(file));
  if (spec.plugin) {
    add('package', readFileSync(join(REPO_ROOT, 'package.json')));
    for (const sub of ['transformer', 'format', 'runtime']) {
      for (const file of listFiles(join(REPO_ROOT, 'dist', sub))) add(relative(REPO_ROOT, file), readFileSync(file));
    }
  }
  return hash.digest('hex');
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else files.push(path);
  }
  return files.sort();
}

// ---------------------------------------------------------------------------------------
// A lock shared by processes: a directory created atomically, holding the owner's pid.

const LOCK_WAIT_MS = 300_000;

async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (isStaleLock(lockDir)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${PREFIX} timed out waiting for the build lock ${lockDir}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    writeFileSync(join(lockDir, 'owner'), String(process.pid));
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** A lock whose owner died, or that has had no owner written for 30 s. */
function isStaleLock(lockDir: string): boolean {
  let owner: number;
  try {
    owner = Number(readFileSync(join(lockDir, 'owner'), 'utf8'));
  } catch {
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 30_000;
    } catch {
      return false; // released meanwhile
    }
  }
  if (!Number.isInteger(owner) || owner <= 0) return false;
  try {
    process.kill(owner, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
