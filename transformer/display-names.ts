import type * as TS from 'typescript';
import { nodeText, shortenText } from './text';

/** An async function the transformer instruments. Getters, setters and constructors cannot be async. */
export type AsyncFunctionNode = TS.FunctionDeclaration | TS.FunctionExpression | TS.ArrowFunction | TS.MethodDeclaration;

const ANONYMOUS = '(anonymous)';

/**
 * The name a reader would use for a function (DESIGN.md, "Sites"):
 *
 *   async function fetchUser() {}                 → fetchUser
 *   class UserService { async load() {} }         → UserService.load   (static too: UserService.create)
 *   class UserService { async #refresh() {} }     → UserService.#refresh
 *   class UserService { load = async () => {} }   → UserService.load
 *   const router = { handlers: { async get() {} } } → router.handlers.get
 *   const handler = async () => …                 → handler
 *   exports.x = async () => …                     → exports.x
 *   app.get('/', async (req) => …)                → app.get callback
 *   export default async function () {}           → default
 */
export function getDisplayName(ts: typeof TS, fn: AsyncFunctionNode, sf: TS.SourceFile): string {
  if (ts.isFunctionDeclaration(fn)) {
    if (fn.name) return fn.name.text;
    return fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ? 'default' : ANONYMOUS;
  }
  if (ts.isMethodDeclaration(fn)) return memberName(ts, fn.parent, fn.name, sf);
  if (ts.isFunctionExpression(fn) && fn.name) return fn.name.text;
  return contextName(ts, fn, sf, true) ?? ANONYMOUS;
}

/** `Owner.key` for a class or object-literal member; just `key` when the owner has no name. */
function memberName(ts: typeof TS, owner: TS.Node, key: TS.PropertyName, sf: TS.SourceFile): string {
  let prefix: string | undefined;
  if (ts.isClassLike(owner)) prefix = owner.name?.text ?? contextName(ts, owner, sf, false) ?? '(anonymous class)';
  else if (ts.isObjectLiteralExpression(owner)) prefix = contextName(ts, owner, sf, false);
  const suffix = keyText(ts, key, sf);
  if (!prefix) return suffix;
  return suffix.startsWith('[') ? `${prefix}${suffix}` : `${prefix}.${suffix}`;
}

/** `load`, `#refresh`, `"my-key"` → `["my-key"]`, `[Symbol.iterator]`. */
function keyText(ts: typeof TS, key: TS.PropertyName, sf: TS.SourceFile): string {
  if (ts.isIdentifier(key) || ts.isPrivateIdentifier(key)) return key.text;
  if (ts.isStringLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key)) {
    return /^[A-Za-z_$][\w$]*$/.test(key.text) ? key.text : `[${JSON.stringify(key.text)}]`;
  }
  if (ts.isComputedPropertyName(key)) return `[${shortenText(nodeText(key.expression, sf), 40)}]`;
  return `[${shortenText(nodeText(key, sf), 40)}]`;
}

/**
 * Names an expression (function, class or object literal) by where it stands:
 * `const x = …`, `{ key: … }`, `class C { key = … }`, `a.b = …`, `export default …`,
 * `f(cb = …)`, and for functions only, an argument of a call: `callee callback`.
 */
function contextName(ts: typeof TS, node: TS.Node, sf: TS.SourceFile, isFunction: boolean): string | undefined {
  let child: TS.Node = node;
  let parent = node.parent;
  while (
    parent &&
    (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent) ||
      ts.isTypeAssertionExpression(parent) || ts.isNonNullExpression(parent))
  ) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return undefined;
  if (ts.isVariableDeclaration(parent) && parent.initializer === child) {
    return ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === child) {
    return memberName(ts, parent.parent, parent.name, sf);
  }
  if (ts.isPropertyDeclaration(parent) && parent.initializer === child) {
    return memberName(ts, parent.parent, parent.name, sf);
  }
  if (ts.isParameter(parent) && parent.initializer === child) {
    return ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  }
  if (ts.isBinaryExpression(parent) && parent.right === child && isAssignment(ts, parent.operatorToken.kind)) {
    return shortenText(nodeText(parent.left, sf), 60);
  }
  if (ts.isExportAssignment(parent)) return 'default';
  if (isFunction && (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(child as TS.Expression)) {
    const callee = shortenText(nodeText(parent.expression, sf), 40);
    return ts.isNewExpression(parent) ? `new ${callee} callback` : `${callee} callback`;
  }
  return undefined;
}

function isAssignment(ts: typeof TS, kind: TS.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsToken || kind === ts.SyntaxKind.QuestionQuestionEqualsToken ||
    kind === ts.SyntaxKind.BarBarEqualsToken || kind === ts.SyntaxKind.AmpersandAmpersandEqualsToken;
}

/**
 * Parameter names for the site table: `id`, `...rest`, and destructuring patterns as
 * shortened source text (`{ id, name }`). A TypeScript `this` parameter is left out.
 */
export function getParameterNames(ts: typeof TS, fn: AsyncFunctionNode, sf: TS.SourceFile): string[] {
  return runtimeParameters(ts, fn).map((p) => {
    const name = ts.isIdentifier(p.name) ? p.name.text : shortenText(nodeText(p.name, sf), 40);
    return p.dotDotDotToken ? `...${name}` : name;
  });
}

/** Parameters that exist at run time (without TypeScript's `this: T`). */
export function runtimeParameters(ts: typeof TS, fn: AsyncFunctionNode): TS.ParameterDeclaration[] {
  return fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
}
