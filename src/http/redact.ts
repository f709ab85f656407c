/** Query parameters that carry a credential: never logged. */
const SECRET_PARAMS = /([?&](?:company_token|access_token|token|app_secret|secret)=)[^&#]*/gi;

/** A URL fit for a log line: credentials in the query replaced. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1<redacted>');
}

/** Headers whose values are secrets or signatures: shown by name only. */
const SECRET_HEADERS = new Set(['authorization', 'x-auth', 'cookie', 'x-lark-signature', 'x-kso-authorization', 'wps-docs-authorization']);

export function describeHeaders(headers: Record<string, string>): string {
  const hidden = Object.keys(headers).filter((h) => SECRET_HEADERS.has(h.toLowerCase()));
  return hidden.length ? ` (${hidden.map((h) => `${h}: <redacted>`).join(', ')})` : '';
}
