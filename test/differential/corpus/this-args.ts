// this, arguments, new.target and super across awaits.
export {};
let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);

class Base {
  name = 'base-instance';
  async greet(who: string) {
    await null;
    return `Base.greet(${who}) on ${this.name}`;
  }
  static async make(tag: string) {
    await null;
    return `Base.make ${tag} this=${this.name}`;
  }
  get label() { return `label of ${this.name}`; }
}

class Child extends Base {
  #secret = 'child-secret';
  constructor(public readonly kind: string) {
    super();
    this.name = 'child-instance';
    const target = new.target;
    (async () => { await null; log('constructor arrow sees new.target', target === Child, new.target === Child); })();
  }
  async greet(who: string) {
    const before = await Promise.resolve(who.toUpperCase());
    const fromSuper = await super.greet(before);
    const superGetter = super.label;
    return `Child.greet -> ${fromSuper}; ${superGetter}; ${this.#secret}`;
  }
  async #privateMethod(n: number) {
    await null;
    return `${this.#secret} ${n} ${this.kind}`;
  }
  async callPrivate() {
    return this.#privateMethod(await 7);
  }
  static async make(tag: string) {
    const base = await super.make(tag);
    return `Child.make(${base}) this===Child ${this === Child}`;
  }
  static async #staticPrivate() { await null; return `static private this===Child ${this === Child}`; }
  static callStaticPrivate() { return Child.#staticPrivate(); }
  async arrows(...rest: number[]) {
    const outerArgs = arguments;
    const inner = async (x: number) => {
      await null;
      return { self: this === (outerArgs as unknown as { self?: unknown }).self ? 'same' : this.kind, args: arguments.length, first: arguments[0], x };
    };
    const r = await inner(100);
    return `${JSON.stringify(r)} rest=${rest.join(',')}`;
  }
  field = async () => { await null; return `field arrow this.kind=${this.kind}`; };
}

async function usesArguments(a: number, b?: number) {
  log('arguments before', arguments.length, a, b);
  await null;
  arguments[0] = 99;
  log('arguments after await', arguments.length, arguments[0], a, [...arguments].join(','));
  return Array.prototype.slice.call(arguments).join('/');
}

function sloppyMappedArguments(this: unknown, a: number) {
  return (async function (this: unknown) {
    await null;
    return `${typeof this} ${a}`;
  }).call(this);
}

async function withDefaults(a = 1, { b = 2 } = {}) {
  await null;
  return `defaults ${a} ${b} ${arguments.length}`;
}

const proto = {
  async describe() { await null; return 'proto.describe'; },
};
const objectWithSuper = {
  __proto__: proto,
  async describe() {
    const own = await Promise.resolve('obj.describe');
    return `${own} + ${await super.describe()}`;
  },
  async thisCheck() { await null; return this === objectWithSuper; },
};

async function main() {
  const child = new Child('kid');
  log(await child.greet('ann'));
  log(await child.callPrivate());
  log(await Child.make('t'));
  log(await Base.make('b'));
  log(await Child.callStaticPrivate());
  log(await child.arrows(1, 2, 3));
  log(await child.field());
  log(await usesArguments(1));
  log(await usesArguments(1, 2));
  log(await sloppyMappedArguments.call(undefined, 5));
  log(await withDefaults());
  log(await withDefaults(3, { b: 4 }));
  log(await objectWithSuper.describe());
  log(await objectWithSuper.thisCheck());
  const detached = objectWithSuper.thisCheck;
  log(await detached.call(null));
  const bound = child.greet.bind(new Child('other'));
  log(await bound('bob'));
  log(await Reflect.apply(Base.prototype.greet, { name: 'borrowed' }, ['carl']));
}

main().catch((e) => log('main failed', e));
