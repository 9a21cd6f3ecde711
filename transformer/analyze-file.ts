import type * as TS from 'typescript';
import { SITE_TABLE_VERSION, TOP_LEVEL_NAME } from '../format/sites';
import type { AwaitKind, AwaitSiteTuple, FileSiteTable, FunctionSiteTuple } from '../format/sites';
import { getDisplayName, getParameterNames, type AsyncFunctionNode } from './display-names';
import { lineColumn, nodeText, shortenText } from './text';

/**
 * One pass over a parsed file: finds every async function and suspension point, names
 * them, and builds the file's site table. Back ends (the ts-patch AST rewriter here, a
 * text instrumenter later) look sites up by node or use `start`/`end` offsets.
 */
export interface FunctionRecord {
  /** The function, or the source file itself for the module frame of top-level await. */
  node: AsyncFunctionNode | TS.SourceFile;
  index: number;
  /** Offset of the function's name (or `async` keyword) in the source text. */
  start: number;
  tuple: FunctionSiteTuple;
}

export interface AwaitRecord {
  /**
   * `AwaitExpression`, `YieldExpression`, `ForOfStatement` (for-await) or the
   * `VariableDeclarationList` of an `await using` declaration.
   */
  node: TS.Node;
  index: number;
  fn: FunctionRecord;
  /** Offset of the `await` / `yield` keyword. */
  start: number;
  tuple: AwaitSiteTuple;
}

export interface FileAnalysis {
  table: FileSiteTable;
  functions: FunctionRecord[];
  awaits: AwaitRecord[];
  functionIndex: Map<TS.Node, number>;
  awaitIndex: Map<TS.Node, number>;
  /** Every identifier spelled in the file (for collision-free injected names). */
  identifiers: Set<string>;
  /** The file awaits at its top level (function 0 is then the module frame). */
  topLevelAwait: boolean;
}

export interface AnalyzeOptions {
  /** Root-relative path with '/' separators. */
  file: string;
  root: string;
  hash: string;
}

/** Why a file is left as it is (it would not compile cleanly anyway). */
export interface SkipReason {
  skip: string;
}

const TEXT_MAX = 80;

type Context = { kind: 'async'; fn: FunctionRecord; generator: boolean } | { kind: 'sync' } | { kind: 'top' };

export function analyzeFile(ts: typeof TS, sf: TS.SourceFile, options: AnalyzeOptions): FileAnalysis | SkipReason {
  const functions: FunctionRecord[] = [];
  const awaits: AwaitRecord[] = [];
  const identifiers = new Set<string>();
  const isModule = ts.isExternalModule(sf);
  const moduleFrame: FunctionRecord = { node: sf, index: 0, start: 0, tuple: [TOP_LEVEL_NAME, 1, 1, [], 'module'] };
  let topLevelAwait = false;
  let skip: string | undefined;

  const frameFor = (ctx: Context, what: string): FunctionRecord | undefined => {
    if (ctx.kind === 'async') return ctx.fn;
    if (ctx.kind === 'top' && isModule) {
      topLevelAwait = true;
      return moduleFrame;
    }
    skip ??= `${what} outside an async function`;
    return undefined;
  };
  const addAwait = (node: TS.Node, fn: FunctionRecord, start: number, text: string, kind: AwaitKind) => {
    const [line, column] = lineColumn(sf, start);
    awaits.push({ node, index: awaits.length, fn, start, tuple: [-1, line, column, shortenText(text, TEXT_MAX), kind] });
  };

  const walk = (node: TS.Node, ctx: Context): void => {
    if (skip) return;
    if (ts.isIdentifier(node)) {
      identifiers.add(node.text);
      if (node.text === 'await' && !isPropertyNamePosition(ts, node)) skip = '`await` used as an identifier';
      return;
    }
    if (isFunctionWithBody(ts, node)) {
      const inner = recordFunction(node);
      ts.forEachChild(node, (child) => {
        // Decorators and a computed name belong to the enclosing scope; parameters cannot await.
        if (child === node.name || ts.isDecorator(child)) walk(child, ctx);
        else if (child === node.body) walk(child, inner);
        else walk(child, { kind: 'sync' });
      });
      return;
    }
    if (ts.isClassStaticBlockDeclaration(node) || (ts.isPropertyDeclaration(node) && node.initializer)) {
      ts.forEachChild(node, (child) => walk(child, ts.isPropertyDeclaration(node) && child === node.name ? ctx : { kind: 'sync' }));
      return;
    }
    if (ts.isAwaitExpression(node)) {
      const fn = frameFor(ctx, '`await`');
      if (fn) addAwait(node, fn, node.getStart(sf), nodeText(node.expression, sf), 'await');
    } else if (ts.isYieldExpression(node) && ctx.kind === 'async' && ctx.generator) {
      const text = node.expression ? nodeText(node.expression, sf) : '';
      addAwait(node, ctx.fn, node.getStart(sf), text, node.asteriskToken ? 'yield*' : 'yield');
    } else if (ts.isForOfStatement(node) && node.awaitModifier) {
      const fn = frameFor(ctx, '`for await`');
      if (fn) addAwait(node, fn, node.awaitModifier.getStart(sf), nodeText(node.expression, sf), 'for-await');
    } else if (ts.isVariableDeclarationList(node) && isAwaitUsing(ts, node)) {
      const fn = frameFor(ctx, '`await using`');
      if (fn && isRewritableAwaitUsing(ts, node)) {
        const names = node.declarations.map((d) => nodeText(d.name, sf)).join(', ');
        addAwait(node, fn, node.getStart(sf), names, 'await-using');
      }
    }
    ts.forEachChild(node, (child) => walk(child, ctx));
  };

  const recordFunction = (node: TS.FunctionLikeDeclaration): Context => {
    const isAsync = node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
    if (!isAsync || !isAsyncFunctionNode(ts, node)) return { kind: 'sync' };
    const asyncKeyword = node.modifiers!.find((m) => m.kind === ts.SyntaxKind.AsyncKeyword)!;
    const start = node.name ? node.name.getStart(sf) : asyncKeyword.getStart(sf);
    const [line, column] = lineColumn(sf, start);
    const generator = !!node.asteriskToken;
    const kind = generator ? 'generator' : ts.isArrowFunction(node) ? 'arrow' : ts.isMethodDeclaration(node) ? 'method' : 'function';
    const record: FunctionRecord = {
      node,
      index: -1,
      start,
      tuple: [getDisplayName(ts, node, sf), line, column, getParameterNames(ts, node, sf), kind],
    };
    functions.push(record);
    return { kind: 'async', fn: record, generator };
  };

  walk(sf, { kind: 'top' });
  if (skip) return { skip };

  if (topLevelAwait) functions.unshift(moduleFrame);
  functions.forEach((f, i) => (f.index = i));
  for (const a of awaits) a.tuple[0] = a.fn.index;
  return {
    table: {
      v: SITE_TABLE_VERSION,
      file: options.file,
      root: options.root,
      hash: options.hash,
      functions: functions.map((f) => f.tuple),
      awaits: awaits.map((a) => a.tuple),
    },
    functions,
    awaits,
    functionIndex: new Map(functions.map((f) => [f.node, f.index])),
    awaitIndex: new Map(awaits.map((a) => [a.node, a.index])),
    identifiers,
    topLevelAwait,
  };
}

function isFunctionWithBody(ts: typeof TS, node: TS.Node): node is TS.FunctionLikeDeclaration {
  return (
    (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) &&
    node.body !== undefined
  );
}

function isAsyncFunctionNode(ts: typeof TS, node: TS.Node): node is AsyncFunctionNode {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
}

/** `await using x = …` (flags: AwaitUsing = Const | Using). */
export function isAwaitUsing(ts: typeof TS, list: TS.VariableDeclarationList): boolean {
  const awaitUsing = (ts.NodeFlags as unknown as { AwaitUsing?: number }).AwaitUsing;
  return awaitUsing !== undefined && (list.flags & ts.NodeFlags.BlockScoped) === awaitUsing;
}

/**
 * `await using` declarations the rewriter handles: a statement directly in a block or
 * function body (`{ await using x = f(); … }`) and a `for (await using x of xs)` head.
 * At a module's top level and in `case` clauses they are left alone.
 */
function isRewritableAwaitUsing(ts: typeof TS, list: TS.VariableDeclarationList): boolean {
  const parent = list.parent;
  if (ts.isForOfStatement(parent)) return parent.initializer === list;
  return ts.isVariableStatement(parent) && ts.isBlock(parent.parent);
}

/** `x.await`, `{ await: 1 }`, `class { await() {} }`: a name, not the keyword. */
function isPropertyNamePosition(ts: typeof TS, node: TS.Identifier): boolean {
  const p = node.parent;
  return (
    ((ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) ||
      ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) ||
      ts.isEnumMember(p)) &&
      p.name === node) ||
    (ts.isQualifiedName(p) && p.right === node)
  );
}
