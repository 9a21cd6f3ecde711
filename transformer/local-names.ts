import { LOCAL } from '../runtime/injected-names';

/** The identifiers injected into one file. */
export interface LocalNames {
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
 * Picks `__aiH`, `__aiI`, `__aiF`, `__aiK`, `__aiE`, `__aiV`, `__aiReq`, each suffixed with the smallest number that
 * the file does not already spell (`__aiH` → `__aiH1` → `__aiH2` …).
 *
 * A script whose hooks come from `globalThis` shares its top-level `var`s with every other
 * script of the realm, so there the hooks variable also carries the file hash
 * (`__aiH_3f9a0c1d`): two scripts must not overwrite each other's site table. The same holds
 * for the loader function, a global function declaration there (`__aiI_3f9a0c1d`).
 */
export function chooseLocalNames(used: ReadonlySet<string>, sharedGlobalScope: boolean, hash: string): LocalNames {
  const taken = new Set(used);
  const pick = (base: string): string => {
    let name = base;
    for (let n = 1; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    return name;
  };
  return {
    hooks: pick(sharedGlobalScope ? `${LOCAL.hooks}_${hash.slice(0, 8)}` : LOCAL.hooks),
    init: pick(sharedGlobalScope ? `${INIT_NAME}_${hash.slice(0, 8)}` : INIT_NAME),
    frame: pick(LOCAL.frame),
    keep: pick(LOCAL.keep),
    error: pick(LOCAL.error),
    value: pick(LOCAL.value),
    createRequire: pick(LOCAL.createRequire),
  };
}
