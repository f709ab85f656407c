/**
 * An Open API URL from base, path and query. Apart from the HTTP client so a dry run, which
 * only shows its requests, does not load the transport (node:http and the layer around it).
 */
export type Query = Record<string, string | number | boolean | undefined>;

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const url = new URL(baseUrl + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}
