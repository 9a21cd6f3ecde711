import { describe, expect, it } from 'vitest';
import { raiseInliningBudget, userSetsInliningBudget } from '../../runtime/v8-tuning';

describe('raising V8\'s inlining budget', () => {
  const calls: string[] = [];
  const record = (flags: string) => void calls.push(flags);

  it('sets the cumulative budget and returns the flag it set', () => {
    calls.length = 0;
    expect(raiseInliningBudget(4000, [], record)).toBe('--max-inlined-bytecode-size-cumulative=4000');
    expect(calls).toEqual(['--max-inlined-bytecode-size-cumulative=4000']);
  });

  it('does nothing for a budget of 0, or when the user set the flag on the command line', () => {
    calls.length = 0;
    expect(raiseInliningBudget(0, [], record)).toBeUndefined();
    expect(raiseInliningBudget(4000, ['--max-inlined-bytecode-size-cumulative=100'], record)).toBeUndefined();
    expect(raiseInliningBudget(4000, ['--inspect', '--max_inlined_bytecode_size_cumulative=3000'], record)).toBeUndefined();
    expect(calls).toEqual([]);
    expect(userSetsInliningBudget(['--max-inlined-bytecode-size=500'])).toBe(false); // a different flag
  });

  it('gives up quietly when V8 refuses to change flags at run time', () => {
    const refuse = () => {
      throw new Error('flags are frozen');
    };
    expect(raiseInliningBudget(4000, [], refuse)).toBeUndefined();
  });
});
