// name, length, isAsyncFunction, prototype, descriptors. fn.toString() is deliberately not
// compared: it returns the emitted source text, which the transformer legitimately changes.
import { types } from 'node:util';

async function declared(a: number, b: string, c = 1, ...rest: unknown[]) { await null; return [a, b, c, rest]; }
const expression = async function named(x: unknown) { return x; };
const anonymousExpression = async function (x: unknown, y: unknown) { return [x, y]; };
const arrow = async (a: number, b: number) => a + b;
const arrowBlock = async ({ a }: { a: number }, [b]: number[]) => { await null; return a + b; };
async function* generator(a: number) { yield a; }
const arrowWithDefaults = async (a: number, b = 2) => a + b;

class K {
  async method(a: unknown) { return a; }
  static async staticMethod(a: unknown, b: unknown) { return [a, b]; }
  async *genMethod() { yield 1; }
  async ['computed' + 'Name'](x: unknown) { return x; }
  async [Symbol.iterator]() { return 1; }
  field = async (x: unknown) => x;
  static staticField = async function (this: unknown) { return this; };
  get asyncGetterResult() { return (async () => 1)(); }
}

const obj = {
  async method(a: unknown, b: unknown, c: unknown) { return [a, b, c]; },
  shorthandArrow: async () => 1,
  async *gen() { yield 1; },
  async 'quoted name'() { return 1; },
  async 42() { return 1; },
};

const fns: Record<string, Function> = {
  declared, expression, anonymousExpression, arrow, arrowBlock, generator, arrowWithDefaults,
  method: K.prototype.method, staticMethod: K.staticMethod, genMethod: K.prototype.genMethod,
  computed: (K.prototype as any).computedName, symbol: K.prototype[Symbol.iterator],
  field: new K().field, staticField: K.staticField,
  objMethod: obj.method, objArrow: obj.shorthandArrow, objGen: obj.gen, quoted: obj['quoted name'], numeric: obj[42],
};

for (const [key, fn] of Object.entries(fns)) {
  console.log(key, JSON.stringify({
    name: fn.name,
    length: fn.length,
    isAsync: types.isAsyncFunction(fn),
    isGeneratorFunction: types.isGeneratorFunction(fn),
    hasPrototype: Object.prototype.hasOwnProperty.call(fn, 'prototype'),
    ownKeys: Reflect.ownKeys(fn).map(String),
    ctor: Object.getPrototypeOf(fn)?.constructor?.name,
    tag: Object.prototype.toString.call(fn),
  }));
}

const desc = (o: object, k: PropertyKey) => JSON.stringify(Object.getOwnPropertyDescriptor(o, k), (_, v) => (typeof v === 'function' ? `fn:${v.name}` : v));
console.log('method descriptor', desc(K.prototype, 'method'));
console.log('static descriptor', desc(K, 'staticMethod'));
console.log('object method descriptor', desc(obj, 'method'));
console.log('prototype keys', Object.getOwnPropertyNames(K.prototype).join(','));
console.log('static keys', Object.getOwnPropertyNames(K).join(','));
console.log('object keys', Object.keys(obj).join(','));
console.log('module scope keys', typeof declared, typeof expression);
try {
  // Async functions are not constructors.
  new (declared as any)(1, 'x');
} catch (e) {
  console.log('new async fn', (e as Error).constructor.name, (e as Error).message);
}
try {
  new (arrow as any)();
} catch (e) {
  console.log('new async arrow', (e as Error).constructor.name, (e as Error).message);
}
const result = declared(1, 'b');
console.log('returns native promise', result instanceof Promise, Object.getPrototypeOf(result) === Promise.prototype);
result.then((r) => console.log('result', JSON.stringify(r)));
