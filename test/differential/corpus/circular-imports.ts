// Two modules that import each other. Running this program evaluates `_circular-dep` first
// (it is this file's first import), and its top level calls this file's hoisted async
// functions before this file's body has run. In ES modules that is also before the
// instrumentation preamble of this file ran; in CommonJS the exported functions are assigned
// before the require. Only hoisted function declarations (and what they return) are used
// early: this file's `const`s are still in their temporal dead zone then, in both builds.
import { depEcho, depResults } from './_circular-dep.js';

export async function add(a: number, b: number): Promise<number> {
  const x = await a;
  try {
    if (b < 0) throw new Error(`negative ${b}`);
    return x + (await Promise.resolve(b));
  } catch (e) {
    await null;
    return -(e as Error).message.length;
  } finally {
    await undefined;
  }
}

export function make(tag: string) {
  return {
    tag,
    arrow: async (n: number) => `${tag}:arrow:${await n}`,
    async method(this: { tag: string }) {
      await null;
      return `${this.tag}:method`;
    },
    Klass: class {
      async run() {
        return `${tag}:class:${await 'x'}`;
      }
      static async create() {
        await 0;
        return new this();
      }
    },
  };
}

export default async function (): Promise<string> {
  return `default:${await 'd'}`;
}

export async function fails(): Promise<never> {
  await null;
  throw new Error('fails');
}

export async function counted(name: string, log: string[]): Promise<number> {
  log.push(`${name} start`);
  await null;
  log.push(`${name} after first await`);
  await Promise.resolve();
  log.push(`${name} end`);
  return log.length;
}

console.log('program: body starts');
const later = async () => `later:${await depEcho('x')}`;
depResults.then(async (r) => {
  console.log('program: dep saw', JSON.stringify(r));
  console.log('program:', await later(), await add(2, 3));
});
