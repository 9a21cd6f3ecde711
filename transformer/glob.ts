/**
 * A small glob matcher for the `include` / `exclude` plugin options. Patterns are matched
 * against the whole root-relative path with '/' separators:
 *
 *   `src/**\/*.ts`   `**` matches any number of path segments (also none)
 *   `src/*.ts`       `*` matches within one segment (never '/')
 *   `src/a?.ts`      `?` matches one character other than '/'
 *
 * A leading `./` is ignored; everything else matches literally. Node's `path.matchesGlob`
 * is experimental on Node 20, hence this.
 */
export function compileGlob(pattern: string): RegExp {
  const glob = pattern.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const atSegmentStart = i === 0 || glob[i - 1] === '/';
      const atSegmentEnd = i + 2 === glob.length || glob[i + 2] === '/';
      if (atSegmentStart && atSegmentEnd) {
        if (glob[i + 2] === '/') {
          source += '(?:[^/]*/)*'; // "**/" : zero or more whole segments
          i += 2;
        } else {
          source += '.*'; // trailing "**": everything below
          i += 1;
        }
        continue;
      }
      source += '[^/]*'; // "a**b" behaves like "a*b"
      i += 1;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Returns a predicate telling whether a root-relative path is included and not excluded. */
export function createPathFilter(include: readonly string[] | undefined, exclude: readonly string[]): (path: string) => boolean {
  const inc = include?.map(compileGlob);
  const exc = exclude.map(compileGlob);
  return (path) => {
    const p = path.replace(/\\/g, '/');
    if (inc && !inc.some((r) => r.test(p))) return false;
    return !exc.some((r) => r.test(p));
  };
}
