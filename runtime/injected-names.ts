/**
 * The only things the transformer may import from the runtime: the names of what it
 * injects. Changing any of these breaks code built by an older transformer, so bump
 * `HOOKS_ABI` with it (docs/internals.md, section 1).
 */

/** Version of the contract between emitted code and the hooks module. */
export const HOOKS_ABI = 3;
/**
 * ABIs this runtime serves: 2 added the `g` hook (entry of an async generator's frame) to
 * 1, 3 the `o` flag (code built for 3 calls most hooks only when it is true); code built
 * for 1 or 2 calls every hook, which still works, so it runs unchanged. A runtime that
 * predates 3 refuses code built for it with a warning, rather than serving hooks without
 * the flag, under which that code would run silently unrecorded.
 */
export const SERVED_HOOKS_ABIS: readonly number[] = [1, 2, 3];

/** Module specifier the emitted code loads its hooks from. */
export const HOOKS_MODULE = 'async-inspect/hooks';

/** `globalThis[Symbol.for(...)]` key where a loaded runtime publishes its hooks module (for scripts). */
export const HOOKS_GLOBAL_KEY = 'async-inspect.hooks';

/** `globalThis[Symbol.for(...)]` key that marks "missing runtime" as already reported. */
export const MISSING_WARNED_KEY = 'async-inspect.missing';

/**
 * Names the emitted code calls: the hooks module's `attach` and `publish`
 * (runtime/publish-hooks.ts), and the methods of the hooks object `attach` returns.
 */
export const HOOK = {
  attach: 'attach',
  publish: 'publish',
  /** Not a hook: `true` on hooks that record, `false` on the no-op ones (ABI 3). */
  recording: 'o',
  enter: 'e',
  /** Entry of an async generator's frame, with its keep-alive token (ABI 2). */
  enterGenerator: 'g',
  suspend: 's',
  resume: 'r',
  forAwait: 'l',
  awaitUsing: 'u',
  throw: 't',
  exit: 'x',
} as const;

/**
 * Hex digits of the key in a file's global hooks binding, `__aiH_<key>`
 * (transformer/local-names.ts); runtime/publish-hooks.ts accepts only names of that shape.
 */
export const HOOKS_KEY_DIGITS = 12;

/** Preferred local identifiers in emitted code (suffixed with a number on collision). */
export const LOCAL = {
  /** Base of the global hooks binding, `__aiH_<key>`. */
  hooks: '__aiH',
  frame: '__aiF',
  /** An async generator's keep-alive token (see runtime/generator-watch.ts). */
  keep: '__aiK',
  error: '__aiE',
  /** Holds an awaited (or yielded-back) value between the `await` and the resume hook. */
  value: '__aiV',
  createRequire: '__aiReq',
} as const;
