import { spawn } from 'node:child_process';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** A runaway program (an endless loop that logs) is stopped before it fills memory. */
const MAX_OUTPUT = 16 * 1024 * 1024;

/** Runs `command args…` and collects its output (stopped after a timeout or too much output). */
export function runProcess(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NODE_OPTIONS: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const kill = (why: string) => {
      stderr += `\n[differential] killed: ${why}\n`;
      child.kill('SIGKILL');
    };
    const collect = (d: string, into: 'stdout' | 'stderr') => {
      if (into === 'stdout') stdout += d;
      else stderr += d;
      if (stdout.length + stderr.length > MAX_OUTPUT) kill(`more than ${MAX_OUTPUT} characters of output`);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => collect(d, 'stdout'));
    child.stderr.setEncoding('utf8').on('data', (d: string) => collect(d, 'stderr'));
    const timeoutMs = options.timeoutMs ?? 20_000;
    const timer = setTimeout(() => kill(`still running after ${timeoutMs} ms`), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ stdout, stderr, code, signal });
    });
  });
}

/** Runs `node file` with the given options. */
export function runNode(args: string[], options: RunOptions): Promise<RunResult> {
  return runProcess(process.execPath, args, options);
}
