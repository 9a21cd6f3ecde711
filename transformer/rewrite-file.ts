import type * as TS from 'typescript';
import type { FileAnalysis } from './analyze-file';
import { runtimeParameters, type AsyncFunctionNode } from './display-names';
import { canExitAtReturns } from './frame-shape';
import type { LocalNames } from './local-names';
import type { HooksAccess } from './module-format';
import { createPreamble, createRequireImport } from './preamble';
import { createEmitHelpers } from './rewrite-function';

export interface RewriteOptions {
  access: HooksAccess;
  names: LocalNames;
  recordArguments: boolean;
}

/**
 * Rewrites one analysed file. The visitor only recognises shapes; `rewrite-function.ts`
 * builds the replacements. `inFrame` is true while visiting code that runs as part of an
 * instrumented frame (an async function's body, or the top level of a module with
 * top-level await), where `catch` and `finally` blocks get `__aiH.r(__aiF);`.
 */
export function rewriteSourceFile(
  ts: typeof TS,
  context: TS.TransformationContext,
  sf: TS.SourceFile,
  analysis: FileAnalysis,
  options: RewriteOptions,
): TS.SourceFile {
  const f = context.factory;
  const target = context.getCompilerOptions().target ?? ts.ScriptTarget.ES5;
  const emit = createEmitHelpers(ts, f, options.names, options.access, target);
  let inFrame = analysis.topLevelAwait;
  /**
   * The frame being rewritten: whether code of it goes through `__aiV` (it then declares
   * it), and whether it ends through exit calls at its returns (frame-shape.ts).
   */
  let frame = { valueUsed: false, exitAtReturns: false };

  const inside = <T>(within: boolean, fn: () => T): T => {
    const saved = inFrame;
    inFrame = within;
    try {
      return fn();
    } finally {
      inFrame = saved;
    }
  };
  const siteOf = (node: TS.Node) => analysis.awaitIndex.get(ts.getOriginalNode(node));
  const usingSiteOf = (s: TS.Statement) => (ts.isVariableStatement(s) ? siteOf(s.declarationList) : undefined);

  const visit = (node: TS.Node): TS.VisitResult<TS.Node> => {
    const fnIndex = analysis.functionIndex.get(node);
    if (fnIndex !== undefined) return rewriteFunction(node as AsyncFunctionNode, fnIndex);
    if (isFunctionOrClassMemberScope(ts, node)) {
      // A non-async function (or field initializer, static block): its body is not part of the frame.
      const name = (node as { name?: TS.Node }).name;
      return ts.visitEachChild(node, (c) => (c === name || ts.isDecorator(c) ? visit(c) : inside(false, () => visit(c))), context);
    }
    if (ts.isAwaitExpression(node)) {
      const site = siteOf(node);
      const operand = ts.visitNode(node.expression, visit, ts.isExpression)!;
      if (site === undefined) return f.updateAwaitExpression(node, operand);
      frame.valueUsed = true;
      return emit.wrapAwait(node, operand, site);
    }
    if (ts.isYieldExpression(node)) {
      const site = siteOf(node);
      const operand = ts.visitNode(node.expression, visit, ts.isExpression);
      if (site === undefined) return f.updateYieldExpression(node, node.asteriskToken, operand);
      frame.valueUsed = true;
      return emit.wrapYield(node, operand, site);
    }
    if (ts.isLabeledStatement(node) || ts.isForOfStatement(node)) {
      const labels: TS.LabeledStatement[] = [];
      let loop: TS.Statement = node;
      while (ts.isLabeledStatement(loop)) {
        labels.push(loop);
        loop = loop.statement;
      }
      if (ts.isForOfStatement(loop)) {
        const forAwait = loop.awaitModifier ? siteOf(loop) : undefined;
        const using = ts.isVariableDeclarationList(loop.initializer) ? siteOf(loop.initializer) : undefined;
        if (forAwait !== undefined || using !== undefined) {
          const visited = ts.visitEachChild(loop, visit, context);
          return emit.wrapForOf(visited, labels, forAwait, using);
        }
      }
    }
    if (ts.isReturnStatement(node) && inFrame && frame.exitAtReturns) {
      return f.updateReturnStatement(node, exitWith(ts.visitNode(node.expression, visit, ts.isExpression)));
    }
    if (ts.isTryStatement(node) && inFrame) {
      return f.updateTryStatement(
        node,
        visitBlock(node.tryBlock),
        ts.visitNode(node.catchClause, visit, ts.isCatchClause),
        node.finallyBlock && emit.prependResume(visitBlock(node.finallyBlock)),
      );
    }
    if (ts.isCatchClause(node) && inFrame) {
      return f.updateCatchClause(node, ts.visitNode(node.variableDeclaration, visit, ts.isVariableDeclaration), emit.prependResume(visitBlock(node.block)));
    }
    if (ts.isBlock(node)) return visitBlock(node);
    return ts.visitEachChild(node, visit, context);
  };

  /** `{ …; await using x = f(); … }` gets its resume and suspend marks; other blocks are visited as usual. */
  const visitBlock = (block: TS.Block): TS.Block => {
    const statements = ts.visitNodes(block.statements, visit, ts.isStatement);
    const wrapped = emit.wrapAfterAwaitUsing(statements, usingSiteOf);
    return wrapped ? emit.resumeAfterBlock(block, wrapped) : f.updateBlock(block, statements);
  };

  const rewriteFunction = (node: AsyncFunctionNode, fnIndex: number): TS.Node => {
    const modifiers = ts.visitNodes(node.modifiers, visit, ts.isModifierLike);
    const name = ts.visitNode(node.name as TS.Node | undefined, visit) as never;
    const parameters = inside(false, () => ts.visitNodes(node.parameters, visit, ts.isParameter));
    const body = inside(true, () => rewriteBody(node, fnIndex));
    if (ts.isFunctionDeclaration(node)) {
      return f.updateFunctionDeclaration(node, modifiers, node.asteriskToken, name, node.typeParameters, parameters, node.type, body);
    }
    if (ts.isFunctionExpression(node)) {
      return f.updateFunctionExpression(node, modifiers as TS.NodeArray<TS.Modifier> | undefined, node.asteriskToken, name, node.typeParameters, parameters, node.type, body);
    }
    if (ts.isArrowFunction(node)) {
      return f.updateArrowFunction(node, modifiers as TS.NodeArray<TS.Modifier> | undefined, node.typeParameters, parameters, node.type, node.equalsGreaterThanToken, body);
    }
    return f.updateMethodDeclaration(node, modifiers, node.asteriskToken, name, node.questionToken, node.typeParameters, parameters, node.type, body);
  };

  /** What a `return` of a frame that exits at its returns gives back (see `EmitHelpers.exitWith`). */
  const exitWith = (value: TS.Expression | undefined): TS.Expression => {
    if (value) frame.valueUsed = true;
    return emit.exitWith(value);
  };

  const rewriteBody = (node: AsyncFunctionNode, fnIndex: number): TS.Block => {
    const outer = frame;
    frame = { valueUsed: false, exitAtReturns: canExitAtReturns(ts, node) };
    try {
      return rewriteFrameBody(node, fnIndex);
    } finally {
      frame = outer;
    }
  };

  const rewriteFrameBody = (node: AsyncFunctionNode, fnIndex: number): TS.Block => {
    const original = node.body!;
    let prologue: TS.Statement[] = [];
    let rest: TS.Statement[];
    if (ts.isBlock(original)) {
      const statements = ts.visitNodes(original.statements, visit, ts.isStatement);
      const split = prologueLength(ts, statements);
      prologue = statements.slice(0, split);
      const tail = statements.slice(split);
      rest = emit.wrapAfterAwaitUsing(tail, usingSiteOf) ?? tail;
    } else {
      const expression = ts.visitNode(original, visit, ts.isExpression)!;
      rest = [ts.setSourceMapRange(f.createReturnStatement(frame.exitAtReturns ? exitWith(expression) : expression), original)];
    }
    if (frame.valueUsed) rest = [emit.declareValue(), ...rest];
    const args = options.recordArguments
      ? runtimeParameters(ts, node).map((p) => (ts.isIdentifier(p.name) ? f.createIdentifier(p.name.text) : f.createVoidZero()))
      : undefined;
    const generator = node.asteriskToken !== undefined;
    const block = f.createBlock(emit.wrapBody(prologue, rest, fnIndex, args, generator, frame.exitAtReturns), true);
    if (ts.isBlock(original)) {
      ts.setTextRange(block, original);
      ts.setOriginalNode(block, original);
    } else ts.setSourceMapRange(block, original);
    return block;
  };

  const statements = ts.visitNodes(sf.statements, visit, ts.isStatement);
  const moduleFrameValueUsed = frame.valueUsed;
  const split = prologueLength(ts, statements);
  const prologue = statements.slice(0, split);
  const tail = statements.slice(split);
  const importCount = options.access === 'esm' ? leadingImportCount(ts, tail) : 0;
  let rest = tail.slice(importCount);
  if (analysis.topLevelAwait) {
    const declare = moduleFrameValueUsed ? [emit.declareValue()] : [];
    rest = [...declare, emit.enterModuleFrame(), ...rest, emit.exitModuleFrame()];
  }
  const preamble = createPreamble(f, ts, options.access, options.names, analysis.table);
  const result =
    options.access === 'esm'
      ? // Imports first (they are hoisted anyway), then the hooks, then the module frame.
        [...prologue, createRequireImport(f, options.names), ...tail.slice(0, importCount), ...preamble, ...rest]
      : // CommonJS and scripts: the hooks come before anything else runs, even before the
        // `require`s TypeScript makes of imports, so a circular import that calls back into
        // this file finds them. (ES modules cannot do that: a cycle can call a hoisted
        // function before the body runs, which is why frames there enter through a guard.)
        [...prologue, ...preamble, ...rest];
  return f.updateSourceFile(sf, result);
}

function leadingImportCount(ts: typeof TS, statements: readonly TS.Statement[]): number {
  let n = 0;
  while (n < statements.length && (ts.isImportDeclaration(statements[n]) || ts.isImportEqualsDeclaration(statements[n]))) n++;
  return n;
}

function prologueLength(ts: typeof TS, statements: readonly TS.Statement[]): number {
  let n = 0;
  while (n < statements.length) {
    const s = statements[n];
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) break;
    n++;
  }
  return n;
}

/** Nodes whose bodies run outside the enclosing frame: functions, static blocks, field initializers. */
function isFunctionOrClassMemberScope(ts: typeof TS, node: TS.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node) || ts.isPropertyDeclaration(node);
}
