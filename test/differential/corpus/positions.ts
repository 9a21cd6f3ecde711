// await in every syntactic position; evaluation order is logged.
export {};
let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);
const v = <T>(label: string, value: T): Promise<T> => { log('eval', label); return Promise.resolve(value); };
const s = <T>(label: string, value: T): T => { log('eval', label); return value; };

class Widget {
  constructor(public readonly size: number) { log('new Widget', size, new.target === Widget); }
}
const tag = (strings: TemplateStringsArray, ...values: unknown[]) => `${strings.raw.join('|')}#${values.join(',')}`;

async function positions() {
  log('template', `a${await v('t1', 1)}b${s('t2', 2)}c${await v('t3', 3)}`);
  log('tagged', tag`x${await v('tag1', 'X')}y${s('tag2', 'Y')}`);
  const obj: any = { m(x: unknown) { return `m(${x}) this ok ${this === obj}`; }, nested: null };
  log('optional call', obj?.m(await v('oc', 'arg')));
  log('optional short-circuit', obj.nested?.m(await v('never', 'no')));
  log('optional element', obj?.[await v('key', 'm')]?.('e'));
  log('conditional', (await v('cond', 0)) ? await v('then', 'T') : await v('else', 'E'));
  log('and', (await v('and1', 1)) && (await v('and2', 2)));
  log('and short', (await v('and3', 0)) && (await v('never2', 2)));
  log('or', (await v('or1', 0)) || (await v('or2', 'two')));
  log('nullish', (await v('nc1', null)) ?? (await v('nc2', 'fallback')));
  let la: number | null = null;
  la ??= await v('assign nullish', 5);
  la ||= await v('never3', 6);
  la &&= await v('assign and', 7);
  log('logical assignment', la);
  const computed = { [await v('key1', 'k1')]: s('val1', 1), [s('key2', 'k2')]: await v('val2', 2) };
  log('computed keys', JSON.stringify(computed));
  log('spread array', JSON.stringify([s('a0', 0), ...(await v('spread', [1, 2])), s('a3', 3)]));
  log('spread object', JSON.stringify({ x: s('x', 1), ...(await v('objspread', { y: 2 })) }));
  log('spread args', Math.max(s('arg0', 0), ...(await v('args', [5, 9]))));
  const mk = (x: number, f = (y: number = x * 2) => y + 1) => f();
  log('default param of nested non-async arrow', mk(await v('np', 4)));
  const [d1, , d3 = await v('default in destructuring', 'dflt'), ...drest] = await v('destr', [1, 2, undefined, 4, 5]);
  log('array destructuring', d1, d3, drest.join(','));
  const { p, q: { r = await v('nested default', 'nd') } = {}, ...orest } = await v('odestr', { p: 1, z: 3 } as any);
  log('object destructuring', p, r, JSON.stringify(orest));
  let target: any = {};
  [target.a, target[await v('computed target', 'b')]] = await v('assign pattern', ['A', 'B']);
  log('destructuring assignment', JSON.stringify(target));
  log('comma', (s('c1', 1), await v('c2', 2), s('c3', 3)));
  const del: any = { gone: 1, kept: 2 };
  log('delete', delete del[await v('del', 'gone')], JSON.stringify(del));
  log('typeof', typeof (await v('typeof', Symbol('s'))), typeof await v('typeof2', 'x'));
  log('void', void (await v('void', 1)));
  log('exponent', (await v('exp', 3)) ** 2, 2 ** (await v('exp2', 3)));
  log('unary', -(await v('neg', 5)), !(await v('not', 0)), ~(await v('bitnot', 1)));
  log('new', new (await v('getClass', Widget))(await v('ctorarg', 12)).size);
  log('member of await', (await v('member', { deep: { x: 'deep' } })).deep.x);
  log('call of await', (await v('callee', (n: number) => n * 3))(await v('callarg', 7)));
  log('instanceof', (await v('inst', new Widget(1))) instanceof (await v('cls', Widget)));
  log('in', (await v('inkey', 'size')) in (await v('inobj', { size: 1 })));
  log('binary order', (await v('l', 10)) - s('m', 3) - (await v('r', 2)));
  let counter = 0;
  counter += await v('compound', 5);
  counter *= (await v('compound2', 2)) + counter;
  log('compound assignment', counter);
  const arr = [0, 0, 0];
  arr[s('idx', 1)] = await v('rhs', 9);
  log('assignment order', arr.join(','));
  log('nested awaits', await v('outer', await v('inner', await v('innermost', 'deep'))));
  log('await await', await await v('double', 'dd'));
  log('regex/string call', (await v('str', 'a-b-c')).split(await v('sep', '-')).length);
  label: {
    if (await v('labelled', true)) break label;
    log('never');
  }
  switch (await v('switch', 2)) {
    case s('case1', 1): log('case 1'); break;
    case await v('case2', 2): log('case 2 matched'); break;
    default: log('default');
  }
  const fnWithAwaitInArgs = (...xs: unknown[]) => xs.join('+');
  log('arguments order', fnWithAwaitInArgs(s('f1', 1), await v('f2', 2), s('f3', 3), await v('f4', 4)));
  log('class expression', new (class extends (await v('base', Widget)) {})(3).size);
  log('iife arrow in await', await (async () => (await v('iife', 'i')) + '!')());
  log('arrow returning an object literal', JSON.stringify(await (async () => ({ k: await v('objlit', 'o') }))()));
  log('arrow returning a sequence', await (async () => (s('seq1', 1), await v('seq2', 2)))());
  log('sequence return', await (async () => { return s('ret1', 1), await v('ret2', 'last'); })());
}

async function loops() {
  for (const x of await v('for-of head', [1, 2])) log('for-of', x);
  for (const k in await v('for-in head', { a: 1, b: 2 })) log('for-in', k);
  for (let i = await v('init', 0); i < (await v('test', 3)); i += await v('update', 1)) log('for', i);
  let n = 0;
  while ((await v('while', n)) < 2) n++;
  do { n--; } while ((await v('do-while', n)) > 0);
  log('loops end', n);
  const fns: Array<() => number> = [];
  for (let i = 0; i < 3; i++) { await null; fns.push(() => i); }
  log('per-iteration bindings', fns.map((f) => f()).join(','));
  outer: for (const a of [1, 2, 3]) {
    for (const b of [1, 2, 3]) {
      if ((await v(`lb ${a}${b}`, b)) === 2) continue outer;
      if (a === 3) break outer;
    }
  }
}

positions().then(loops).then(() => log('done'), (e) => log('failed', e));
