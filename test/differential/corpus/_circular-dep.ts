// Helper of circular-imports.ts: imports the program back and calls its hoisted async
// functions from its top level, before the program's body ran.
import programDefault, { add, counted, fails, make } from './circular-imports.js';

console.log('dep: body starts');

export async function depEcho(v: string): Promise<string> {
  return `echo:${await v}`;
}

const order: string[] = [];
const first = counted('first', order);
const second = counted('second', order);
order.push('sync after two calls');
Promise.resolve().then(() => order.push('microtask'));
const failed = fails().then(
  () => 'resolved?',
  (e: Error) => `rejected:${e.message}`,
);

export const depResults: Promise<unknown[]> = (async () => {
  const results: unknown[] = [await add(1, 2), await add(1, -10)];
  const o = make('t');
  results.push(await o.arrow(3), await o.method(), await (await o.Klass.create()).run());
  results.push(await programDefault(), typeof programDefault.name, await failed);
  results.push(await first, await second, order);
  return results;
})();
console.log('dep: body ends');
