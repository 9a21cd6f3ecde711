/**
 * The fallback that makes a file's hooks reachable when the global object is frozen
 * (runtime/publish-hooks.ts; the end-to-end run is in test/transformer/tspc.test.ts).
 */
import { runInNewContext, runInThisContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { publish } from '../../runtime/publish-hooks';

const stderr = () => vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('publish', () => {
  it('declares the binding as a global let of this realm, not a property of globalThis', () => {
    const write = stderr();
    const hooks = { e: () => 0 };
    publish('__aiH_0a0a0a0a0a0a', hooks, globalThis);
    expect(runInThisContext('__aiH_0a0a0a0a0a0a')).toBe(hooks);
    expect(Object.getOwnPropertyNames(globalThis)).not.toContain('__aiH_0a0a0a0a0a0a');
    expect(write).not.toHaveBeenCalled();
  });

  it('says on stderr that code of another realm cannot reach its hooks', () => {
    const write = stderr();
    publish('__aiH_0b0b0b0b0b0b', {}, runInNewContext('globalThis'));
    expect(String(write.mock.calls[0]?.[0])).toMatch(
      /^async-inspect: the global object is frozen and the hooks could not be declared otherwise \(the code runs in another realm \(a vm context\)\); instrumented async functions that load them will throw a ReferenceError\n$/,
    );
    expect(runInThisContext('typeof __aiH_0b0b0b0b0b0b')).toBe('undefined');
  });

  it('compiles nothing for a name that is not a hooks binding', () => {
    const write = stderr();
    publish('x; globalThis.__published = 1; let y', {}, globalThis);
    expect((globalThis as Record<string, unknown>).__published).toBeUndefined();
    expect(String(write.mock.calls[0]?.[0])).toContain('(not a hooks binding name: x; globalThis.__published = 1; let y)');
  });
});
