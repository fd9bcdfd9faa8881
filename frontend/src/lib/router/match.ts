/**
 * Path patterns such as `/courses/:code/lessons/:id`: a `:name` segment matches one
 * non-empty path segment, which is handed to the page decoded.
 */

export type Params = Record<string, string>;

/** The parameters of `path` if it matches `pattern`, else `null`. */
export function matchPath(pattern: string, path: string): Params | null {
  const wanted = pattern.split('/');
  const actual = path.split('/');
  if (wanted.length !== actual.length) return null;
  const params: Params = {};
  for (let i = 0; i < wanted.length; i++) {
    const part = wanted[i];
    const value = actual[i];
    if (part.startsWith(':')) {
      if (!value) return null;
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (part !== value) {
      return null;
    }
  }
  return params;
}

/** The first pattern in `patterns` that `path` matches, with its parameters. */
export function findRoute<T>(
  routes: readonly (readonly [string, T])[],
  path: string,
): { value: T; params: Params; pattern: string } | null {
  for (const [pattern, value] of routes) {
    const params = matchPath(pattern, path);
    if (params) return { value, params, pattern };
  }
  return null;
}
