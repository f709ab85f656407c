import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Context } from '../../context.js';
import { readCallback, recordingName, scrub } from '../../callback/record.js';
import { resolveCredentials } from '../../config/credentials.js';
import { usageError } from '../../output/errors.js';

interface ListenFlags {
  port: string;
  host: string;
  out: string;
  forwardTo?: string;
  encryptKey?: string;
  verificationToken?: string;
  save: boolean;
}

/** Headers the platform sends that a forwarded request must keep, so the handler can verify. */
const FORWARDED = ['content-type', 'x-lark-request-timestamp', 'x-lark-request-nonce', 'x-lark-signature', 'x-request-id', 'x-tt-logid', 'x-refresh-token'];

export async function run(ctx: Context, flags: ListenFlags): Promise<void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port must be a number from 0 to 65535, not "${flags.port}"`);
  if (flags.forwardTo && !/^https?:\/\//.test(flags.forwardTo)) throw usageError(`--forward-to must be an http(s) URL, not "${flags.forwardTo}"`);
  const creds = await resolveCredentials(ctx, { encryptKey: flags.encryptKey, verificationToken: flags.verificationToken });
  const keys = { encryptKey: creds.encryptKey?.value ?? null, verificationToken: creds.verificationToken?.value ?? null };
  const forward = flags.forwardTo ? (await import('../../http/request.js')).send : null;
  const { out } = ctx;
  let count = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const got = readCallback(raw, req.headers, keys);
    const n = ++count;
    let saved: string | null = null;
    if (flags.save && got.payload) {
      const name = recordingName(got.format, got.payload, n);
      saved = join(flags.out, `${name}.json`);
      const fixture = {
        _meta: { name, format: got.format, encrypt: got.format === 'url_verification' ? got.encrypted : undefined, description: `recorded ${new Date(ctx.now()).toISOString()} on ${req.url}`, signature: got.signature },
        payload: scrub(got.payload),
      };
      await mkdir(flags.out, { recursive: true });
      await writeFile(saved, `${JSON.stringify(fixture, null, 2)}\n`);
    }
    let status = 200;
    let answer = '';
    let forwarded: { status: number; ms: number } | null = null;
    if (flags.forwardTo && forward) {
      const headers: Record<string, string> = {};
      for (const h of FORWARDED) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      const started = performance.now();
      try {
        // The original bytes and signature headers, so the handler verifies exactly what the platform sent.
        const r = await forward({ method: 'POST', url: flags.forwardTo, headers, body: raw, timeoutMs: ctx.timeoutMs, plainHttp: 'any' });
        status = r.status;
        answer = r.body.toString('utf8');
        forwarded = { status, ms: Math.round(performance.now() - started) };
      } catch (err) {
        status = 502;
        answer = JSON.stringify({ error: `card listen could not reach ${flags.forwardTo}: ${(err as Error).message}` });
        forwarded = { status, ms: Math.round(performance.now() - started) };
      }
    } else if (got.format === 'url_verification' && got.payload) {
      answer = JSON.stringify({ challenge: got.payload.challenge });
    } else {
      answer = '{}';
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(answer);
    const entry = { n, path: req.url, format: got.format, encrypted: got.encrypted, signature: got.signature, error: got.error, saved, forwarded, answer };
    if (out.json) out.stdout.write(`${JSON.stringify(entry)}\n`);
    else {
      const s = out.style;
      const sig = got.signature === 'verified' ? s.green('signature ok') : got.signature === 'bad signature' || got.signature === 'bad token' ? s.red(got.signature) : s.dim(`signature ${got.signature}`);
      out.stderr.write(
        `${s.bold(`#${n}`)} ${got.format ?? 'unknown'}${got.encrypted ? ' (encrypted)' : ''}  ${sig}${got.error ? `  ${s.red(got.error)}` : ''}${saved ? `  → ${saved}` : ''}${forwarded ? `  → forwarded: HTTP ${forwarded.status} in ${forwarded.ms} ms` : ''}\n`,
      );
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      out.warn(`listen: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? usageError(`port ${port} is in use`) : err));
    server.listen(port, flags.host, resolve);
  });
  const url = `http://${flags.host}:${(server.address() as AddressInfo).port}`;
  // Listen for the stop signal before saying we are ready: a script may send it right after.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  if (out.json) out.stdout.write(`${JSON.stringify({ url, out: flags.save ? flags.out : null, forward_to: flags.forwardTo ?? null, keys: { encrypt_key: !!keys.encryptKey, verification_token: !!keys.verificationToken } })}\n`);
  else {
    out.info(`Listening for callbacks on ${out.style.cyan(url)} (any path)${flags.save ? `; saving to ${flags.out}/` : ''}${flags.forwardTo ? `; forwarding to ${flags.forwardTo}` : ''}`);
    out.info(`Signatures are ${keys.encryptKey || keys.verificationToken ? 'checked' : 'not checked (no Encrypt Key or Verification Token)'}. Expose it with a tunnel and set it as the callback URL; Ctrl-C to stop.`);
  }
  await stopped;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
