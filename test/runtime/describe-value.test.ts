import { describe, expect, it } from 'vitest';
import { describeError, previewValue } from '../../runtime/describe-value';

describe('describeError', () => {
  it('reads name, message and code of an error', () => {
    const error = Object.assign(new TypeError('bad input'), { code: 'E_BAD' });
    expect(describeError(error)).toEqual({ name: 'TypeError', message: 'bad input', code: 'E_BAD' });
  });

  it('never runs a getter of the thrown value', () => {
    let calls = 0;
    const error = new Error('boom');
    Object.defineProperty(error, 'code', { get: () => (calls++, 'X') });
    Object.defineProperty(error, 'message', { get: () => (calls++, 'Y') });
    expect(describeError(error)).toEqual({ name: 'Error', message: '' });
    expect(calls).toBe(0);
  });

  it('describes thrown non-errors without calling toString', () => {
    const value = { toString: () => { throw new Error('must not run'); } };
    expect(describeError(value)).toEqual({ name: 'Object', message: '' });
    expect(describeError('plain string')).toEqual({ name: 'string', message: '"plain string"' });
  });
});

describe('previewValue', () => {
  it('shows primitives, and objects only by kind', () => {
    expect([1, 'a', null, undefined, 10n, [1, 2], new Map(), function named() {}].map(previewValue)).toEqual([
      '1', '"a"', 'null', 'undefined', '10n', 'Array(2)', '[Map]', '[function named]',
    ]);
  });
});
