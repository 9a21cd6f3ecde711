import { createHash } from 'node:crypto';
import { HOOKS_ABI, HOOKS_KEY_DIGITS, LOCAL } from '../runtime/injected-names';

/** The identifiers injected into one file. */
export interface LocalNames {
  /** The global binding that holds the file's hooks (`__aiH_<key>`, see `hooksBindingKey`). */
  hooks: string;
  /** The hoisted function that loads the hooks on first use (`__aiI`). */
  init: string;
  frame: string;
  /** An async generator's keep-alive token. */
  keep: string;
  error: string;
  /** The awaited value on its way from the `await` to the resume hook (see EmitHelpers.wrapAwait). */
  value: string;
  createRequire: string;
}

/**
 * Base name of the hooks loader. A local, not part of the ABI, so it lives here rather than
 * in `LOCAL` (runtime/injected-names.ts).
 */
export const INIT_NAME = '__aiI';

/**
 * What names a file's hooks binding: HOOKS_KEY_DIGITS (12) hex digits of sha256 over the project root, the
 * file's path in it, its content hash and the hooks ABI. The binding is global
 * (docs/internals.md, section 1), so two files must never share one; the same build of
 * the same file evaluated twice in one realm (a module registry reset) finds its own
 * binding again and reuses it.
 */
export function hooksBindingKey(root: string, file: string, contentHash: string): string {
  return createHash('sha256').update(`${root}\0${file}\0${contentHash}\0${HOOKS_ABI}`, 'utf8').digest('hex').slice(0, HOOKS_KEY_DIGITS);
}

/**
 * Picks `__aiH_<key>`, `__aiI`, `__aiF`, `__aiK`, `__aiE`, `__aiV`, `__aiReq`, each
 * suffixed with the smallest number that the file does not already spell (`__aiI` →
 * `__aiI1` → `__aiI2` …). (A script declares no loader: it would be a global, see
 * `createPreamble`.)
 */
export function chooseLocalNames(used: ReadonlySet<string>, key: string): LocalNames {
  const taken = new Set(used);
  const pick = (base: string): string => {
    let name = base;
    for (let n = 1; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    return name;
  };
  return {
    hooks: pick(`${LOCAL.hooks}_${key}`),
    init: pick(INIT_NAME),
    frame: pick(LOCAL.frame),
    keep: pick(LOCAL.keep),
    error: pick(LOCAL.error),
    value: pick(LOCAL.value),
    createRequire: pick(LOCAL.createRequire),
  };
}
