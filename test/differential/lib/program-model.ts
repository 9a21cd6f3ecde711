/**
 * The random async programs of the property test: a small model and its fast-check
 * arbitraries. Labels are not part of the model (the renderer numbers every log call), so
 * shrinking only ever removes or simplifies structure.
 */
import fc from 'fast-check';

/** How an unsettled promise gets settled later. */
export type Via = 'macro' | 'microtask' | 'nextTick';

/** Something a program awaits (or yields, or passes to a combinator). */
export type Expr =
  | { k: 'value'; v: number }
  | { k: 'resolved'; v: number }
  | { k: 'rejected' }
  | { k: 'thenable'; v: number; fail: boolean; late: boolean }
  | { k: 'deferred'; v: number; via: Via; fail: boolean }
  | { k: 'call'; fn: number }
  | { k: 'combinator'; op: 'all' | 'race' | 'allSettled' | 'any'; items: Expr[] }
  | { k: 'iife'; body: Stmt[] };

export type Stmt =
  | { k: 'log' }
  | { k: 'await'; e: Expr }
  | { k: 'pair'; form: PairForm; a: Expr; b: Expr }
  | { k: 'throw'; error: boolean }
  | { k: 'try'; body: Stmt[]; handler: Stmt[] | null; finalizer: Stmt[] | null }
  | { k: 'loop'; n: number; body: Stmt[] }
  | { k: 'schedule'; via: 'queueMicrotask' | 'nextTick' | 'then' | 'macro' }
  | { k: 'early'; e: Expr; body: Stmt[] }
  | { k: 'spawn'; e: Expr }
  | { k: 'forAwait'; source: 'generator' | 'array'; items: Expr[]; breakAt: number | null }
  | { k: 'return'; e: Expr | null; awaited: boolean };

/** Two awaits inside one expression: `(await a) + (await b)`, a template, `?:`, `&&`, `??`. */
export type PairForm = 'sum' | 'template' | 'conditional' | 'and' | 'nullish';

/** `subclass`: a method of a class whose base class method it calls with `super` after an await. */
export type FnKind = 'function' | 'arrow' | 'method' | 'expressionArrow' | 'subclass';

export interface Helper {
  kind: FnKind;
  params: number;
  body: Stmt[];
  /** Only for `expressionArrow`: the body is `await E`. */
  e: Expr;
}

export interface Program {
  /** The one macrotask source of this program: setTimeout(0) and setImmediate are never mixed
   * because their relative order is not deterministic in Node. */
  macro: 'timeout' | 'immediate';
  helpers: Helper[];
  main: Stmt[];
}

const small = fc.integer({ min: 0, max: 9 });
const via = fc.constantFrom<Via>('macro', 'microtask', 'nextTick');

function exprArb(depth: number): fc.Arbitrary<Expr> {
  // Failures are rarer than successes so that most programs get past their first lines.
  const fail = fc.integer({ min: 0, max: 4 }).map((n) => n === 0);
  const leaves: fc.Arbitrary<Expr>[] = [
    small.map((v) => ({ k: 'value', v }) as const),
    small.map((v) => ({ k: 'resolved', v }) as const),
    fc.record({ v: small, fail, late: fc.boolean() }).map((r) => ({ k: 'thenable', ...r }) as const),
    fc.record({ v: small, via, fail }).map((r) => ({ k: 'deferred', ...r }) as const),
    fc.nat({ max: 20 }).map((fn) => ({ k: 'call', fn }) as const),
    fc.constant({ k: 'rejected' } as const),
  ];
  const leaf = fc.oneof(...leaves.map((arbitrary, i) => ({ arbitrary, weight: i === leaves.length - 1 ? 1 : 4 })));
  if (depth <= 0) return leaf;
  // Items are never empty: `Promise.race([])` never settles.
  const op = fc.constantFrom('all', 'race', 'allSettled', 'any') as fc.Arbitrary<'all' | 'race' | 'allSettled' | 'any'>;
  return fc.oneof(
    { arbitrary: leaf, weight: 6 },
    { arbitrary: fc.record({ op, items: fc.array(exprArb(depth - 1), { minLength: 1, maxLength: 3 }) }).map((r) => ({ k: 'combinator', ...r }) as const), weight: 1 },
    { arbitrary: blockArb(depth - 1).map((body) => ({ k: 'iife', body }) as const), weight: 1 },
  );
}

function blockArb(depth: number): fc.Arbitrary<Stmt[]> {
  return fc.array(stmtArb(depth), { maxLength: depth > 1 ? 4 : 3 });
}

function stmtArb(depth: number): fc.Arbitrary<Stmt> {
  const e = exprArb(depth);
  const simple = fc.oneof(
    { arbitrary: fc.constant({ k: 'log' } as const), weight: 2 },
    { arbitrary: e.map((x) => ({ k: 'await', e: x }) as const), weight: 4 },
    {
      arbitrary: fc
        .record({ form: fc.constantFrom<PairForm>('sum', 'template', 'conditional', 'and', 'nullish'), a: e, b: e })
        .map((r) => ({ k: 'pair', ...r }) as const),
      weight: 1,
    },
    { arbitrary: fc.constantFrom('queueMicrotask', 'nextTick', 'then', 'macro').map((v) => ({ k: 'schedule', via: v }) as Stmt), weight: 2 },
    { arbitrary: e.map((x) => ({ k: 'spawn', e: x }) as const), weight: 2 },
    { arbitrary: fc.boolean().map((error) => ({ k: 'throw', error }) as const), weight: 1 },
    { arbitrary: fc.record({ e: fc.option(e, { nil: null }), awaited: fc.boolean() }).map((r) => ({ k: 'return', ...r }) as const), weight: 1 },
  ) as fc.Arbitrary<Stmt>;
  if (depth <= 0) return simple;
  const block = blockArb(depth - 1);
  return fc.oneof(
    { arbitrary: simple, weight: 6 },
    {
      arbitrary: fc
        .record({ body: block, handler: fc.option(block, { nil: null }), finalizer: fc.option(block, { nil: null }) })
        .map((r) => ({ k: 'try', ...r, handler: r.handler ?? (r.finalizer ? null : []) }) as const),
      weight: 2,
    },
    { arbitrary: fc.record({ n: fc.integer({ min: 0, max: 3 }), body: block }).map((r) => ({ k: 'loop', ...r }) as const), weight: 1 },
    { arbitrary: fc.record({ e, body: block }).map((r) => ({ k: 'early', ...r }) as const), weight: 1 },
    {
      arbitrary: fc
        .record({
          source: fc.constantFrom('generator', 'array') as fc.Arbitrary<'generator' | 'array'>,
          items: fc.array(exprArb(depth - 1), { maxLength: 3 }),
          breakAt: fc.option(fc.nat({ max: 2 }), { nil: null }),
        })
        .map((r) => ({ k: 'forAwait', ...r }) as const),
      weight: 1,
    },
  );
}

const helperArb: fc.Arbitrary<Helper> = fc.record({
  kind: fc.constantFrom<FnKind>('function', 'arrow', 'method', 'expressionArrow', 'subclass'),
  params: fc.nat({ max: 2 }),
  body: blockArb(2),
  e: exprArb(1),
});

/** A whole random program: up to four helpers (helper i may call helpers below i) and a main body. */
export const programArb: fc.Arbitrary<Program> = fc.record({
  macro: fc.constantFrom('timeout', 'immediate') as fc.Arbitrary<'timeout' | 'immediate'>,
  helpers: fc.array(helperArb, { maxLength: 4 }),
  main: fc.array(stmtArb(3), { minLength: 1, maxLength: 8 }),
});
