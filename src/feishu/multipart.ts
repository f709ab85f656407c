import { randomBytes } from 'node:crypto';

export interface FormField {
  name: string;
  value: string | { data: Buffer; fileName: string; contentType?: string };
}

// Field names and file names go inside quoted header values: no quotes, CR or LF may break out.
const headerSafe = (s: string) => s.replace(/["\r\n\\]/g, '_');

/** A multipart/form-data body, built in memory: uploads are bounded (10 MB images, 30 MB files). */
export function multipartBody(fields: FormField[]): { data: Buffer; contentType: string } {
  const boundary = `----card${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const f of fields) {
    let head = `--${boundary}\r\ncontent-disposition: form-data; name="${headerSafe(f.name)}"`;
    if (typeof f.value === 'string') {
      chunks.push(Buffer.from(`${head}\r\n\r\n`), Buffer.from(f.value, 'utf8'), Buffer.from('\r\n'));
      continue;
    }
    head += `; filename="${headerSafe(f.value.fileName)}"\r\ncontent-type: ${f.value.contentType ?? 'application/octet-stream'}`;
    chunks.push(Buffer.from(`${head}\r\n\r\n`), f.value.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { data: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
