/**
 * The module instrumented code loads (`async-inspect/hooks`). Kept apart from the public
 * API so that its surface is exactly the injection contract.
 */

import { HOOKS_GLOBAL_KEY } from './injected-names';
import { attach } from './inspector';
import { publish } from './publish-hooks';

export { attach, publish };
export type { Hooks } from './inspector';

// Scripts (files that may not import anything) find the hooks here once a module loaded them.
const registry = globalThis as unknown as Record<symbol, unknown>;
try {
  registry[Symbol.for(HOOKS_GLOBAL_KEY)] ??= { attach, publish };
} catch {
  // A frozen global object: modules are unaffected; scripts cannot find the runtime and
  // cannot define their hooks binding either, so their async functions fail (README, Limits).
}
