/**
 * `for await` and `yield*` (in async generators) have awaits no code can be placed
 * around: the loop or the delegation calls the iterator's `next()` (`return()`, `throw()`)
 * and awaits the result itself. The transformer passes the iterable through
 * `wrapForAwait`, which returns an object iterated instead; every call is forwarded to the
 * real iterator with the same `this` and arguments, its result is returned untouched (so
 * the very same promise is awaited: no extra tick). Around each forwarded call the frame
 * is made current (`before`: a delegated generator's body runs inside `next()`, and must
 * count as the frame's child) and then marked suspended at the site (`after`).
 *
 * Property reads follow the order and count of the spec (GetIterator reads
 * `Symbol.asyncIterator`, else `Symbol.iterator`, once; `next`, `return` and `throw` are
 * read from the real iterator whenever the loop reads them from the wrapper). Sync iterables are covered too: the loop's
 * async-from-sync adapter calls the wrapped sync iterator, then awaits.
 */

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

export interface ForwardHooks {
  before: () => void;
  after: () => void;
}

export function wrapForAwait(iterable: unknown, onCall: ForwardHooks): unknown {
  if (iterable === null || iterable === undefined) return iterable;
  const source = iterable as Record<symbol, unknown>;
  const asyncMethod = source[Symbol.asyncIterator];
  if (asyncMethod === undefined || asyncMethod === null) {
    // Sync iterables: the loop reads Symbol.iterator from the wrapper, which reads it from the source once.
    return {
      get [Symbol.iterator]() {
        const syncMethod = source[Symbol.iterator];
        if (typeof syncMethod !== 'function') return syncMethod;
        return () => wrapIfObject(syncMethod.call(iterable), onCall);
      },
    };
  }
  if (typeof asyncMethod !== 'function') return { [Symbol.asyncIterator]: asyncMethod };
  return {
    [Symbol.asyncIterator]() {
      return wrapIfObject((asyncMethod as AnyFunction).call(iterable), onCall);
    },
  };
}

/** The loop rejects non-object iterators itself; hand those over unchanged so it does. */
function wrapIfObject(iterator: unknown, onCall: ForwardHooks): unknown {
  if (iterator === null || (typeof iterator !== 'object' && typeof iterator !== 'function')) return iterator;
  return wrapIterator(iterator as Record<string, unknown>, onCall);
}

function wrapIterator(iterator: Record<string, unknown>, onCall: ForwardHooks): object {
  const forward = (method: AnyFunction) =>
    function (this: unknown, ...args: unknown[]) {
      onCall.before();
      let result: unknown;
      try {
        result = method.apply(iterator, args);
      } finally {
        onCall.after();
      }
      return result;
    };
  // Each read of a method reads the real one: native loops read `next` once, TypeScript's
  // downlevel loops once per step, and both must see the reads they would have made.
  const method = (name: 'next' | 'return' | 'throw') => {
    let last: unknown;
    let forwarded: unknown;
    return () => {
      const real = iterator[name];
      if (typeof real !== 'function') return real;
      if (real !== last) {
        last = real;
        forwarded = forward(real as AnyFunction);
      }
      return forwarded;
    };
  };
  const next = method('next');
  const ret = method('return');
  const thr = method('throw');
  return {
    get next() {
      return next();
    },
    get return() {
      return ret();
    },
    get throw() {
      return thr();
    },
  };
}
