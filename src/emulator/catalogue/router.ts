import type { Route } from '../core.js';
import { PlatformError } from '../http.js';

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

const NO_PARAMS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * Orders routes so that a literal segment wins over a parameter in the same place
 * (`/chats/search` before `/chats/:chat_id`), whatever order the files list them in.
 */
function specificity(pattern: string): number[] {
  return pattern.split('/').map((seg) => (seg.startsWith(':') ? 1 : 0));
}

function morePrecise(a: Route, b: Route): number {
  const x = specificity(a.pattern);
  const y = specificity(b.pattern);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** Finds the route for a method and path: static paths from a map, the rest by pattern. */
export class Router {
  private readonly compiled: CompiledRoute[];
  /** Method → path → the match, made once: most requests are sends and need no regex walk. */
  private readonly statics = new Map<string, Map<string, Match>>();

  constructor(routes: Route[]) {
    const seen = new Set<string>();
    for (const r of routes) {
      const key = `${r.method} ${r.pattern}`;
      if (seen.has(key)) throw new Error(`bug: two routes declare ${key}`);
      seen.add(key);
    }
    // A stable sort keeps the files' order among routes of equal precision.
    this.compiled = [...routes].sort(morePrecise).map((route) => {
      const names: string[] = [];
      const source = route.pattern.replace(/:([a-z_]+)/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      return { route, regex: new RegExp(`^${source}/?$`), names };
    });
    for (const c of this.compiled) {
      if (c.names.length) continue;
      let paths = this.statics.get(c.route.method);
      if (!paths) this.statics.set(c.route.method, (paths = new Map()));
      paths.set(c.route.pattern, { route: c.route, params: NO_PARAMS });
    }
  }

  routes(): Route[] {
    return this.compiled.map((c) => c.route);
  }

  /** The route, or whether some other method has this path (the answer differs: 404 either way today). */
  match(method: string, path: string): Match | { pathMatched: boolean } {
    const fast = this.statics.get(method)?.get(path);
    if (fast) return fast;
    let pathMatched = false;
    for (const c of this.compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(m[i + 1]!);
        } catch {
          throw new PlatformError(400, 9499, `Invalid path: ${JSON.stringify(m[i + 1])} is not valid percent-encoding.`);
        }
      });
      return { route: c.route, params };
    }
    return { pathMatched };
  }
}
