/** One part of a multipart/form-data body, its bytes kept exactly as sent. */
export interface FormPart {
  name: string;
  fileName: string | null;
  data: Buffer;
}

export class MultipartError extends Error {}

const MAX_PARTS = 64;

/**
 * Splits a fully read multipart/form-data body (RFC 7578) into its parts. Written here rather
 * than taken from fetch's formData(): that one turns a part without a filename into text,
 * which corrupts the bytes of an image an SDK sends as a bare Buffer.
 */
export function parseMultipart(body: Buffer, contentType: string): Map<string, FormPart> {
  const m = /boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  if (!m) throw new MultipartError('the content-type has no boundary');
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts = new Map<string, FormPart>();
  let at = body.indexOf(delimiter);
  if (at < 0) throw new MultipartError('the body has no part');
  for (;;) {
    at += delimiter.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts; // the closing "--boundary--"
    if (body[at] === 0x0d && body[at + 1] === 0x0a) at += 2;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) throw new MultipartError('a part has no header end');
    const headers = body.subarray(at, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new MultipartError('the body ends before its closing boundary');
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new MultipartError('a part has no name');
    const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
    if (parts.size >= MAX_PARTS) throw new MultipartError(`more than ${MAX_PARTS} parts`);
    parts.set(name, { name, fileName, data: body.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
}
