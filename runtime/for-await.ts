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
 * `Symbol.asyncIterator`, else `Symbol.iterator`, once; `next` is read once; `return` and
 * `throw` are read when the loop needs them). Sync iterables are covered too: the loop's
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
  const next = iterator.next as AnyFunction;
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
  return {
    next: typeof next === 'function' ? forward(next) : next,
    get return() {
      const method = iterator.return;
      return typeof method === 'function' ? forward(method as AnyFunction) : method;
    },
    get throw() {
      const method = iterator.throw;
      return typeof method === 'function' ? forward(method as AnyFunction) : method;
    },
  };
}
