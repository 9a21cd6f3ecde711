// User code that already uses the identifiers the transformer likes to inject.
export {};
const __aiH = 'user hooks';
let __aiF = 0;
async function usesNames(__aiE: string) {
  'use strict';
  const __aiReq = (x: number) => x + 1;
  __aiF++;
  await null;
  try {
    throw new Error(__aiE);
  } catch (__aiE2) {
    return `${__aiH} ${__aiF} ${__aiReq(1)} ${(__aiE2 as Error).message}`;
  }
}
const arrow = async (__aiF: number) => { await null; return __aiF * 2; };
async function shadowing() {
  const __aiH = { e: () => 'shadowed e', s: () => 'shadowed s' };
  await null;
  return `${__aiH.e()} ${__aiH.s()}`;
}
async function main() {
  console.log(await usesNames('err text'));
  console.log(await arrow(21));
  console.log(await shadowing());
  console.log('globals untouched', typeof (globalThis as any).__aiH, __aiF);
}
main();
