import { describe, expect, it } from 'vitest';
import { raiseInliningBudget, userSetsInliningBudget, type TuningContext } from '../../runtime/v8-tuning';

describe("raising V8's inlining budget", () => {
  const calls: string[] = [];
  const node = (extra: Partial<TuningContext> = {}): TuningContext => ({
    execArgv: [],
    releaseName: 'node',
    versions: { node: '20.20.2', v8: '11.3' },
    setFlags: (flags) => void calls.push(flags),
    ...extra,
  });

  it('sets the cumulative budget and returns the flag it set', () => {
    calls.length = 0;
    expect(raiseInliningBudget(4000, node())).toBe('--max-inlined-bytecode-size-cumulative=4000');
    expect(calls).toEqual(['--max-inlined-bytecode-size-cumulative=4000']);
  });

  it('does nothing for a budget of 0, or when the user set the flag on the command line', () => {
    calls.length = 0;
    expect(raiseInliningBudget(0, node())).toBeUndefined();
    expect(raiseInliningBudget(4000, node({ execArgv: ['--max-inlined-bytecode-size-cumulative=100'] }))).toBeUndefined();
    expect(raiseInliningBudget(4000, node({ execArgv: ['--inspect', '--max_inlined_bytecode_size_cumulative=3000'] }))).toBeUndefined();
    expect(calls).toEqual([]);
    expect(userSetsInliningBudget(['--max-inlined-bytecode-size=500'])).toBe(false); // a different flag
  });

  it('leaves embedders and other runtimes alone: some of them abort the process on a flag write', () => {
    calls.length = 0;
    for (const versions of [{ node: '18.0.0', nw: '0.75.0' }, { node: '20.0.0', electron: '30.0.0' }, { node: '22.0.0', bun: '1.1.0' }, { node: '20.0.0', deno: '2.0.0' }]) {
      expect(raiseInliningBudget(4000, node({ versions }))).toBeUndefined();
    }
    expect(raiseInliningBudget(4000, node({ releaseName: 'io.js' }))).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('gives up quietly when V8 refuses the change with an exception', () => {
    const refuse = () => {
      throw new Error('flags are frozen');
    };
    expect(raiseInliningBudget(4000, node({ setFlags: refuse }))).toBeUndefined();
  });
});
