import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tableInText, tableOf, transpile, ts } from './helpers';

const SOURCE = `import express from 'express';
const app = express();

export async function fetchUser(id: string, { retries = 3 } = {}) {
  const res = await fetch(\`/users/\${id}\`, {
    method:   'GET',
  });
  return res.json();
}

export class UserService {
  private cache = new Map<string, unknown>();
  load = async (id: string) => this.cache.get(id) ?? (await fetchUser(id));
  async #refresh(...ids: string[]) {
    for await (const u of stream(ids)) this.cache.set(u.id, u);
  }
  static async create() { return new UserService(); }
  async *pages() { yield* await this.#refresh(); }
}

const router = { handlers: { async get(req: unknown) { await this.list(); } } };
exports.x = async () => await Promise.resolve(1);
app.get('/', async (req, res) => { res.send(await fetchUser(req.params.id)); });
app.get('/b', async (req) => await fetchUser(await req.body.this_is_a_very_long_property_name_that_goes_on_and_on.and_on_and_on.and_on));
export default async function () { await null; }
`;

/** [line, column] (1-based) of the nth occurrence of `needle` on a 1-based source line, found by text search. */
function at(line: number, needle: string, nth = 0): [number, number] {
  const text = SOURCE.split('\n')[line - 1];
  let col = -1;
  for (let i = 0; i <= nth; i++) col = text.indexOf(needle, col + 1);
  if (col < 0) throw new Error(`${needle} not on line ${line}`);
  return [line, col + 1];
}

describe('site table', () => {
  const table = tableOf(SOURCE, { fileName: 'src/users.ts' });

  it('names the file relative to the root and hashes the source', () => {
    expect(table.v).toBe(1);
    expect(table.file).toBe('src/users.ts');
    expect(table.root).toBe(process.cwd());
    expect(table.hash).toBe(createHash('sha256').update(SOURCE).digest('hex').slice(0, 16));
  });

  it('lists functions with display name, position of the name or `async`, parameters and kind', () => {
    expect(table.functions).toEqual([
      ['fetchUser', ...at(4, 'fetchUser'), ['id', '{ retries = 3 }'], 'function'],
      ['UserService.load', ...at(13, 'async'), ['id'], 'arrow'],
      ['UserService.#refresh', ...at(14, '#refresh'), ['...ids'], 'method'],
      ['UserService.create', ...at(17, 'create'), [], 'method'],
      ['UserService.pages', ...at(18, 'pages'), [], 'generator'],
      ['router.handlers.get', ...at(21, 'get'), ['req'], 'method'],
      ['exports.x', ...at(22, 'async'), [], 'arrow'],
      ['app.get callback', ...at(23, 'async'), ['req', 'res'], 'arrow'],
      ['app.get callback', ...at(24, 'async'), ['req'], 'arrow'],
      ['default', ...at(25, 'async'), [], 'function'],
    ]);
  });

  it('lists awaits at the 1-based line and column of the keyword with collapsed, shortened text', () => {
    expect(table.awaits).toEqual([
      [0, ...at(5, 'await'), "fetch(`/users/${id}`, { method: 'GET', })", 'await'],
      [1, ...at(13, 'await'), 'fetchUser(id)', 'await'],
      [2, ...at(15, 'await'), 'stream(ids)', 'for-await'],
      [4, ...at(18, 'yield*'), 'await this.#refresh()', 'yield*'],
      [4, ...at(18, 'await'), 'this.#refresh()', 'await'],
      [5, ...at(21, 'await'), 'this.list()', 'await'],
      [6, ...at(22, 'await'), 'Promise.resolve(1)', 'await'],
      [7, ...at(23, 'await'), 'fetchUser(req.params.id)', 'await'],
      [8, ...at(24, 'await'), 'fetchUser(await req.body.this_is_a_very_long_property_name_that_goes_on_and_on.…', 'await'],
      [8, ...at(24, 'await', 1), 'req.body.this_is_a_very_long_property_name_that_goes_on_and_on.and_on_and_on.an…', 'await'],
      [9, ...at(25, 'await'), 'null', 'await'],
    ]);
    for (const [, , , text] of table.awaits) expect(text.length).toBeLessThanOrEqual(80);
    expect(table.awaits[8][3]).toHaveLength(80);
    expect(table.awaits[9][3]).toHaveLength(80);
  });

  it('adds the module frame as function 0 for top-level await', () => {
    const out = transpile('export {};\nasync function f() { await 1; }\nawait f();\n', {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    const t = tableInText(out);
    expect(t.functions).toEqual([
      ['(top level)', 1, 1, [], 'module'],
      ['f', 2, 16, [], 'function'],
    ]);
    expect(t.awaits).toEqual([
      [1, 2, 22, '1', 'await'],
      [0, 3, 1, 'f()', 'await'],
    ]);
  });
});
