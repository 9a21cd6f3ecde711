// Helper of cycle-entry.ts.
import { b } from './_cycle-b.js';

export async function a(from: string): Promise<string> {
  await null;
  return `a(${from})`;
}
export const arrowA = async (x: number) => (await x) * 2;
console.log('a evaluated', b());
