/** Runs the CLI in-process (cli/main.ts) with captured output. */

import { Writable } from 'node:stream';
import { main } from '../../../cli/main';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export async function runCli(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; isTTY?: boolean }): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main({ argv, cwd: options.cwd, env: options.env ?? {}, stdout, stderr, isTTY: options.isTTY ?? false });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
