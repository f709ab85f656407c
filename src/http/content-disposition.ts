/**
 * `Content-Disposition: attachment` naming a download (RFC 6266). The name is untrusted (whoever
 * uploaded the file chose it), so it is contained before it reaches a header: no path (a client
 * saving by this name stays in its folder), no control characters (no header injection), no
 * quote or backslash (no way out of the quoted string), no ";" in the plain `filename`, bounded in length. A name that is not
 * plain ASCII also goes as `filename*` (RFC 8187, UTF-8), with an ASCII stand-in in `filename`.
 */
export const MAX_DISPOSITION_NAME = 200;

export function attachmentDisposition(fileName: string, fallback = 'download'): string {
  const name = containedName(fileName) || fallback;
  // The stand-in also loses ";" so that a reader splitting the header on ";" still finds one name.
  const ascii = name.replace(/[^\x20-\x7e]|["\\;]/g, '_');
  if (ascii === name) return `attachment; filename="${ascii}"`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

/** The last path segment, without control characters, dot-only names or characters past the bound. */
function containedName(fileName: string): string {
  const base = fileName.split(/[/\\]/).pop() ?? '';
  // \p{C}: control, format (bidi overrides that disguise an extension), unassigned and surrogate code points.
  const clean = base.replace(/\p{C}/gu, '').trim();
  if (/^\.*$/.test(clean)) return '';
  return [...clean].slice(0, MAX_DISPOSITION_NAME).join('');
}

/** Percent-encodes all but RFC 8187's attr-chars (encodeURIComponent also leaves ' ( ) * alone). */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
