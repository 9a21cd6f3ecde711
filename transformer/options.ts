/**
 * The plugin's options, as written in tsconfig.json:
 *
 *   "plugins": [{ "transform": "async-inspect/transformer",
 *                 "include": ["src/**"], "exclude": ["**\/*.test.ts"], "recordArguments": true }]
 *
 * ts-patch's own keys are accepted and ignored. Anything else is an error, reported with
 * the `async-inspect:` prefix and the option's name.
 */
export interface TransformerOptions {
  /** Globs (root-relative) of files to instrument; all files when absent. */
  include: string[] | undefined;
  /** Globs (root-relative) of files to leave alone. Default: `**\/node_modules/**`. */
  exclude: string[];
  /** Pass each frame's plain-identifier parameters to the runtime (`e(i, [a, b])`). */
  recordArguments: boolean;
}

export const MESSAGE_PREFIX = 'async-inspect:';

/** Keys ts-patch reads from a plugin entry (see ts-patch's plugin-types.d.ts and README). */
const TS_PATCH_KEYS = new Set([
  'transform', 'import', 'type', 'after', 'afterDeclarations', 'tsConfig', 'transformProgram',
  'isEsm', 'resolvePathAliases', 'name',
]);

const OWN_KEYS = ['include', 'exclude', 'recordArguments'] as const;

export class OptionsError extends Error {}

/** Validates a plugin config entry; throws `OptionsError` with a user-facing message. */
export function parseOptions(config: unknown): TransformerOptions {
  const raw = (config ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new OptionsError(`${MESSAGE_PREFIX} the plugin entry in tsconfig.json "plugins" must be an object, got ${describe(config)}.`);
  }
  for (const key of Object.keys(raw)) {
    if (TS_PATCH_KEYS.has(key) || (OWN_KEYS as readonly string[]).includes(key)) continue;
    throw new OptionsError(
      `${MESSAGE_PREFIX} unknown plugin option "${key}" in tsconfig.json "plugins". ` +
        `Known options: ${OWN_KEYS.join(', ')} (plus ts-patch's own keys such as "transform"). ` +
        `Remove it or fix its spelling.`,
    );
  }
  return {
    include: raw.include === undefined ? undefined : globList('include', raw.include),
    exclude: raw.exclude === undefined ? ['**/node_modules/**'] : globList('exclude', raw.exclude),
    recordArguments: bool('recordArguments', raw.recordArguments, false),
  };
}

function globList(key: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new OptionsError(
      `${MESSAGE_PREFIX} plugin option "${key}" must be an array of glob strings (e.g. ["src/**/*.ts"]), got ${describe(value)}.`,
    );
  }
  return value as string[];
}

function bool(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new OptionsError(`${MESSAGE_PREFIX} plugin option "${key}" must be true or false, got ${describe(value)}.`);
  }
  return value;
}

function describe(value: unknown): string {
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 59)}…` : s;
  } catch {
    return String(value);
  }
}
