import type { Route } from '../core.js';
import type { DeclaredRoute } from './declare.js';

/** A route of the platform, as the official SDK's generated client declares it. */
export interface PlatformRoute {
  method: string;
  path: string;
  /** The SDK's accessor, e.g. `im.v1.messageReaction.create`. */
  sdk: string;
  title: string;
}

/** The namespaces a bot uses, counted route by route, and the order the table lists them in. */
export const COUNTED_NAMESPACES = ['im/v1', 'im/v2', 'cardkit/v1', 'contact/v3'] as const;
/** Namespaces a bot also calls, listed after the counted ones (tokens, ephemeral cards, batch sends, delayed updates). */
export const OTHER_NAMESPACES = ['auth/v3', 'ephemeral/v1', 'message/v4', 'interactive/v1'] as const;

const camel = (resource: string) => resource.replace(/[._](\w)/g, (_m, c: string) => c.toUpperCase());

/**
 * Lists the routes of the given namespaces from the SDK's built `lib/index.js`: each method has a
 * doc comment naming its resource and API, the title on the line after, then its path and method.
 */
export function sdkRoutes(source: string, namespaces: readonly string[]): PlatformRoute[] {
  const re =
    /api-explorer\?project=(\w+)&resource=([\w.]+)&apiName=(\w+)&version=(\w+) click to debug[^\n]*\n(?:\s*\*[^\n]*\n){0,3}?\s*\*\s*\{@link[^\n]*\n\s*\*\s*\n\s*\*\s*([^\n]*)\n[\s\S]*?url: fillApiPath\(`\$\{this\.domain\}\/open-apis\/([^`]+)`, path\),\s*method: "(\w+)"/g;
  const seen = new Map<string, PlatformRoute>();
  for (const m of source.matchAll(re)) {
    const [, project, resource, api, version, title, path, method] = m as unknown as string[];
    if (!namespaces.some((ns) => path!.startsWith(`${ns}/`))) continue;
    const key = `${method} /open-apis/${path}`;
    if (!seen.has(key)) seen.set(key, { method: method!, path: `/open-apis/${path}`, sdk: `${project}.${version}.${camel(resource!)}.${camel(api!)}`, title: title!.trim() });
  }
  return [...seen.values()];
}

/** Paths compare with parameter names ignored: the SDK and the emulator may name them differently. */
export const routeKey = (method: string, path: string) => `${method} ${path.replace(/:[a-z_]+/g, ':')}`;

const isDeclared = (r: Route): r is DeclaredRoute => 'declared' in r;

const namespaceOf = (path: string) => path.replace(/^\/open-apis\//, '').split('/').slice(0, 2).join('/');

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

interface Row {
  method: string;
  path: string;
  sdk: string;
  title: string;
  status: 'full' | 'partial' | 'missing';
  access: string;
  note: string;
}

function rowFor(method: string, path: string, sdk: string, title: string, route: Route | undefined): Row {
  if (!route) return { method, path, sdk, title, status: 'missing', access: '', note: '' };
  if (!isDeclared(route)) return { method, path, sdk, title, status: 'partial', access: '', note: 'answered, not yet declared in the catalogue' };
  const d = route.declared;
  const access = [d.tokens.length ? d.tokens.join(', ') : 'no token', ...(d.scopes?.length ? [d.scopes.map((x) => `\`${x}\``).join(' or ')] : [])].join('<br>');
  const errors = d.errors.length ? `Codes: ${d.errors.join(', ')}.` : '';
  const left = d.coverage === 'full' ? '' : `Left out: ${d.coverage.partial}`;
  const note = [d.notes, errors, left].filter(Boolean).join(' ');
  return { method, path, sdk, title: title || d.title, status: d.coverage === 'full' ? 'full' : 'partial', access, note };
}

/**
 * `docs/coverage.md`: per route of the platform's catalogue, whether the emulator answers it in
 * full, in part (and what it leaves out), or not at all; totals first. Generated, never edited.
 */
export function coverageTable(platform: readonly PlatformRoute[], answered: readonly Route[], sdkVersion: string): string {
  const byKey = new Map(answered.map((r) => [routeKey(r.method, r.pattern), r]));
  const sections: Array<{ ns: string; rows: Row[] }> = [];
  const platformKeys = new Set(platform.map((p) => routeKey(p.method, p.path)));
  for (const ns of COUNTED_NAMESPACES) {
    const rows = platform.filter((p) => namespaceOf(p.path) === ns).map((p) => rowFor(p.method, p.path, p.sdk, p.title, byKey.get(routeKey(p.method, p.path))));
    sections.push({ ns, rows: sortRows(rows) });
  }
  for (const ns of OTHER_NAMESPACES) {
    const inSdk = platform.filter((p) => namespaceOf(p.path) === ns).map((p) => rowFor(p.method, p.path, p.sdk, p.title, byKey.get(routeKey(p.method, p.path))));
    const beyond = answered
      .filter((r) => namespaceOf(r.pattern) === ns && !platformKeys.has(routeKey(r.method, r.pattern)))
      .map((r) => rowFor(r.method, r.pattern, '(not in the SDK)', isDeclared(r) ? r.declared.title : '', r));
    if (inSdk.length || beyond.length) sections.push({ ns, rows: sortRows([...inSdk, ...beyond]) });
  }
  const count = (rows: Row[], s: Row['status']) => rows.filter((r) => r.status === s).length;
  const counted = sections.filter((s) => (COUNTED_NAMESPACES as readonly string[]).includes(s.ns));
  const all = counted.flatMap((s) => s.rows);
  const lines = [
    '# Route coverage',
    '',
    `<!-- Generated by \`npm run coverage\` from the official Node SDK ${sdkVersion} and the emulator's route catalogue (src/emulator/routes). Do not edit: \`npm test\` fails when it is stale. -->`,
    '',
    `The routes a bot calls, as the official Node SDK ${sdkVersion} lists them, and how the emulator answers each: **full** (its state, the platform's rules and error codes, tested with the SDK), **partial** (answered; what is left out is said), or **missing** (404).`,
    '',
    `**${all.length - count(all, 'missing')} of ${all.length}** routes in ${COUNTED_NAMESPACES.map((n) => `\`${n}\``).join(', ')} are answered: ${count(all, 'full')} full, ${count(all, 'partial')} partial, ${count(all, 'missing')} missing.`,
    '',
    '| Namespace | Routes | Full | Partial | Missing |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...sections.map((s) => `| \`${s.ns}\` | ${s.rows.length} | ${count(s.rows, 'full')} | ${count(s.rows, 'partial')} | ${count(s.rows, 'missing')} |`),
    '',
  ];
  for (const s of sections) {
    lines.push(`## \`${s.ns}\``, '', '| Route | SDK method | Status | Tokens, scopes | Rules and codes |', '| --- | --- | --- | --- | --- |');
    for (const r of s.rows) lines.push(`| \`${r.method} ${r.path}\`<br>${cell(r.title)} | \`${r.sdk}\` | ${r.status} | ${r.access} | ${cell(r.note)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

function sortRows(rows: Row[]): Row[] {
  return rows.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)));
}
