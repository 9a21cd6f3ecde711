/**
 * Renders a `Program` (program-model.ts) as TypeScript source: an object
 * `{ macro, run: async function pN({ log, later }) { … } }` for the batch module. Every
 * `log` call gets a fresh label so that a difference points at one place in the source.
 */
import type { Expr, Helper, Program, Stmt } from './program-model.js';

interface Scope {
  /** Helpers callable from here: 0..callable-1. */
  callable: number;
  helpers: Helper[];
}

class Renderer {
  #label = 0;
  #var = 0;

  label(): string {
    return `'L${++this.#label}'`;
  }

  fresh(prefix: string): string {
    return `${prefix}${++this.#var}`;
  }

  expr(e: Expr, scope: Scope): string {
    switch (e.k) {
      case 'value':
        return String(e.v);
      case 'resolved':
        return `Promise.resolve(${e.v})`;
      case 'rejected':
        return `Promise.reject(new Error(${this.label()}))`;
      case 'thenable': {
        const settle = e.fail ? `rej(${this.label()})` : `res(${e.v})`;
        const body = e.late ? `queueMicrotask(() => ${settle})` : settle;
        return `{ then(res: any, rej: any) { log(${this.label()}, 'then'); ${body}; } }`;
      }
      case 'deferred': {
        const settle = e.fail ? `rej(new Error(${this.label()}))` : `res(${e.v})`;
        const schedule = e.via === 'macro' ? 'later' : e.via === 'microtask' ? 'queueMicrotask' : 'process.nextTick';
        return `new Promise((res, rej) => ${schedule}(() => ${settle}))`;
      }
      case 'call': {
        if (scope.callable === 0) return String(e.fn);
        const i = e.fn % scope.callable;
        const kind = scope.helpers[i].kind;
        const callee = kind === 'method' ? `h${i}.m` : kind === 'subclass' ? `new C${i}().m` : `f${i}`;
        return `${callee}(${e.fn}, ${this.label()})`;
      }
      case 'combinator':
        return `Promise.${e.op}([${e.items.map((x) => this.expr(x, scope)).join(', ')}])`;
      case 'iife':
        return `(async () => {\n${this.block(e.body, scope)}})()`;
    }
  }

  stmt(s: Stmt, scope: Scope): string {
    switch (s.k) {
      case 'log':
        return `log(${this.label()});`;
      case 'await':
        return `log(${this.label()}, await ${this.expr(s.e, scope)});`;
      case 'pair': {
        const a = `(await ${this.expr(s.a, scope)})`;
        const b = `(await ${this.expr(s.b, scope)})`;
        const forms = {
          sum: `${a} + ${b}`,
          template: `\`${'${'}${a}}-${'${'}${b}}\``,
          conditional: `${a} ? ${b} : 'no'`,
          and: `${a} && ${b}`,
          nullish: `${a} ?? ${b}`,
        };
        return `log(${this.label()}, ${forms[s.form]});`;
      }
      case 'throw':
        return s.error ? `throw new Error(${this.label()});` : `throw ${this.label()};`;
      case 'try': {
        const e = this.fresh('e');
        let out = `try {\n${this.block(s.body, scope)}}`;
        if (s.handler) out += ` catch (${e}) {\nlog(${this.label()}, ${e});\n${this.block(s.handler, scope)}}`;
        if (s.finalizer) out += ` finally {\nlog(${this.label()});\n${this.block(s.finalizer, scope)}}`;
        return out;
      }
      case 'loop': {
        const i = this.fresh('i');
        return `for (let ${i} = 0; ${i} < ${s.n}; ${i}++) {\nlog(${this.label()}, ${i});\n${this.block(s.body, scope)}}`;
      }
      case 'schedule': {
        const cb = `() => log(${this.label()})`;
        if (s.via === 'then') return `Promise.resolve().then(${cb});`;
        if (s.via === 'nextTick') return `process.nextTick(${cb});`;
        if (s.via === 'macro') return `later(${cb});`;
        return `queueMicrotask(${cb});`;
      }
      case 'early': {
        const p = this.fresh('p');
        return `{\nconst ${p} = ${this.expr(s.e, scope)};\n${this.block(s.body, scope)}log(${this.label()}, await ${p});\n}`;
      }
      case 'spawn':
        return `Promise.resolve(${this.expr(s.e, scope)}).then((v) => log(${this.label()}, v), (e) => log(${this.label()}, e));`;
      case 'forAwait': {
        const x = this.fresh('x');
        const c = this.fresh('c');
        const items = s.items.map((e) => this.expr(e, scope));
        const source = s.source === 'array'
          ? `[${items.join(', ')}]`
          : `(async function* () {\n${items.map((i) => `log(${this.label()}, 'resumed', yield ${i});\n`).join('')}})()`;
        const brk = s.breakAt === null ? '' : `if (${c}++ === ${s.breakAt}) break;\n`;
        return `{\nlet ${c} = 0;\nfor await (const ${x} of ${source}) {\nlog(${this.label()}, ${x});\n${brk}}\n}`;
      }
      case 'return':
        if (!s.e) return 'return;';
        return `return ${s.awaited ? 'await ' : ''}${this.expr(s.e, scope)};`;
    }
  }

  block(stmts: Stmt[], scope: Scope): string {
    return stmts.map((s) => this.stmt(s, scope) + '\n').join('');
  }

  helper(h: Helper, i: number, helpers: Helper[]): string {
    const scope = { callable: i, helpers };
    const params = Array.from({ length: h.params }, (_, k) => `a${k}: any`).join(', ');
    const first = `log(${this.label()}, ${h.params > 0 ? 'a0' : "'no params'"});\n`;
    switch (h.kind) {
      case 'function':
        return `async function f${i}(${params}) {\n${first}log(${this.label()}, arguments.length);\n${this.block(h.body, scope)}}`;
      case 'arrow':
        return `const f${i} = async (${params}) => {\n${first}${this.block(h.body, scope)}};`;
      case 'method':
        return `const h${i} = { tag: 'h${i}', async m(${params}) {\n${first}log(${this.label()}, this.tag);\n${this.block(h.body, scope)}} };`;
      case 'subclass':
        return `class C${i} extends Base {\nasync m(${params}) {\n${first}log(${this.label()}, this.tag, await super.base(${this.label()}));\n${this.block(h.body, scope)}}\n}`;
      case 'expressionArrow':
        return `const f${i} = async (${params}) => (log(${this.label()}), await ${this.expr(h.e, scope)});`;
    }
  }
}

/** One program as an element of the batch's `programs` array. */
export function renderProgram(p: Program, index: number): string {
  const r = new Renderer();
  const helpers = p.helpers.map((h, i) => r.helper(h, i, p.helpers)).join('\n');
  const main = r.block(p.main, { callable: p.helpers.length, helpers: p.helpers });
  return `{ macro: '${p.macro}', run: async function p${index}({ log, later }: Env) {\n${helpers}\n${main}} }`;
}

/** The batch module: `export const programs = [...]`. */
export function renderBatch(programs: Program[]): string {
  return [
    '// Generated by test/differential/lib/render-program.ts',
    'type Env = { log: (label: string, ...values: unknown[]) => void; later: (fn: () => void) => void };',
    "class Base { tag = 'base'; async base(x: unknown) { await null; return `base(${x}) this.tag=${this.tag}`; } }",
    `export const programs = [\n${programs.map((p, i) => renderProgram(p, i)).join(',\n')}\n];`,
    '',
  ].join('\n');
}
