import { access, constants } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from '../../context.js';
import { CallbackGuard, DEFAULT_MAX_SKEW_SECONDS } from '../../callback/guard.js';
import { readCallback, recordingName, scrub } from '../../callback/record.js';
import { ensurePrivateDir } from '../../callback/recording-files.js';
import { redactDeep } from '../../callback/redact.js';
import { saveRecording } from '../../callback/recordings.js';
import { BodyTooLargeError, readBody } from '../../emulator/http.js';
import { resolveCredentials } from '../../config/credentials.js';
import { resolveIn } from '../../input/user-file.js';
import { usageError } from '../../output/errors.js';
import { untilStopped } from '../../io.js';

interface ListenFlags {
  port: number;
  host: string;
  out: string;
  forwardTo?: string;
  encryptKey?: string;
  verificationToken?: string;
  save: boolean;
  ws?: boolean;
  acceptUnchecked?: boolean;
}

/** Callbacks are a few kilobytes; a form with long inputs stays far below this. */
export const MAX_CALLBACK_BYTES = 1024 * 1024;

/** Headers the platform sends that a forwarded request must keep, so the handler can verify. */
const FORWARDED = ['content-type', 'x-lark-request-timestamp', 'x-lark-request-nonce', 'x-lark-signature', 'x-request-id', 'x-tt-logid', 'x-refresh-token'];

export async function run(ctx: Context, flags: ListenFlags): Promise<void> {
  const { port } = flags;
  if (flags.forwardTo && !/^https?:\/\//.test(flags.forwardTo)) throw usageError(`--forward-to must be an http(s) URL, not "${flags.forwardTo}"`);
  const creds = await resolveCredentials(ctx, { encryptKey: flags.encryptKey, verificationToken: flags.verificationToken });
  const keys = { encryptKey: creds.encryptKey?.value ?? null, verificationToken: creds.verificationToken?.value ?? null };
  if (flags.save) await checkOutDir(flags.out, ctx.cwd);
  if (flags.ws) {
    // The long connection: no port of our own; --port/--host do not apply.
    const { runWs } = await import('./ws.js');
    return runWs(ctx, flags, creds, keys);
  }
  const forward = flags.forwardTo ? (await import('../../http/request.js')).send : null;
  const { out } = ctx;
  const keysSet = !!(keys.encryptKey || keys.verificationToken);
  const guard = new CallbackGuard(keysSet, ctx.now, DEFAULT_MAX_SKEW_SECONDS, !!flags.acceptUnchecked);
  let count = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let raw: Buffer;
    try {
      raw = await readBody(req, MAX_CALLBACK_BYTES);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      res.writeHead(413, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
      res.end(JSON.stringify({ error: `card listen accepts callbacks of at most ${MAX_CALLBACK_BYTES} bytes` }));
      const entry = { n: ++count, path: req.url ?? null, format: null, encrypted: false, signature: 'unchecked', refused: true, error: 'body too large (413)', saved: null, forwarded: null, answer: null };
      report(entry, null);
      return;
    }
    const got = readCallback(raw, req.headers, keys);
    const decision = guard.decide(got, req.headers);
    const n = ++count;
    if (!decision.accepted) {
      // What the platform's SDK answers when a callback fails its check: 200 and an empty body.
      res.writeHead(200);
      res.end();
      report({ n, path: req.url ?? null, format: got.format, encrypted: got.encrypted, signature: decision.verdict, refused: true, error: decision.reason, saved: null, forwarded: null, answer: null }, decision.reason);
      return;
    }
    let saved: string | null = null;
    if (flags.save && got.payload) {
      const fixture = (name: string) => ({
        _meta: { name, format: got.format, encrypt: got.format === 'url_verification' ? got.encrypted : undefined, description: `recorded ${new Date(ctx.now()).toISOString()} on ${req.url}`, signature: decision.verdict },
        payload: scrub(got.payload!),
      });
      saved = await saveRecording(flags.out, (k) => recordingName(got.format, got.payload, k), n, fixture, ctx.cwd);
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
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(answer);
    report({ n, path: req.url ?? null, format: got.format, encrypted: got.encrypted, signature: decision.verdict, refused: false, error: got.error, saved, forwarded, answer }, null);
  };

  const report = (found: ListenEntry, reason: string | null) => {
    // The handler's answer may echo the callback, Verification Token and all.
    const entry = redactDeep(found, [keys.encryptKey, keys.verificationToken]);
    if (out.json) {
      out.stdout.write(`${JSON.stringify(entry)}\n`);
      return;
    }
    const s = out.style;
    const v = entry.signature;
    const sig = v === 'verified' ? s.green('signature ok') : v === 'unchecked' || v === 'not signed' ? s.dim(`signature ${v}`) : s.red(v);
    const what = entry.refused ? `  ${s.red(`refused: ${reason ?? entry.error}`)} (not forwarded, not saved)` : entry.error ? `  ${s.red(entry.error)}` : '';
    out.stderr.write(
      `${s.bold(`#${entry.n}`)} ${entry.format ?? 'unknown'}${entry.encrypted ? ' (encrypted)' : ''}  ${sig}${what}${entry.saved ? `  → ${entry.saved}` : ''}${entry.forwarded ? `  → forwarded: HTTP ${entry.forwarded.status} in ${entry.forwarded.ms} ms` : ''}\n`,
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      out.warn(`listen: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, port, flags.host)));
    server.listen(port, flags.host, resolve);
  });
  const url = `http://${flags.host}:${(server.address() as AddressInfo).port}`;
  // Listen for the stop signal before saying we are ready: a script may send it right after.
  const stopped = untilStopped(ctx.io);
  // What is checked is said before the ready line, so a script that reads that line has seen it.
  if (keysSet) {
    const unchecked = [!keys.encryptKey && 'card.action.trigger callbacks and events (no Encrypt Key)', !keys.verificationToken && 'legacy card callbacks (no Verification Token)'].filter(Boolean);
    out.info(`Callbacks whose signature or token does not verify, older than ${DEFAULT_MAX_SKEW_SECONDS} s, or already received are refused (not forwarded, not saved).`);
    if (unchecked.length) out.warn(`${flags.acceptUnchecked ? 'not checked, let through (--accept-unchecked)' : 'refused, as no key set can check them'}: ${unchecked.join('; ')}`);
  } else {
    out.warn('nothing is checked: no Encrypt Key or Verification Token is set (--encrypt-key, --verification-token, the profile or CARD_ENCRYPT_KEY), so forged, stale and repeated callbacks are forwarded and saved like real ones');
  }
  if (out.json) out.stdout.write(`${JSON.stringify({ url, out: flags.save ? flags.out : null, forward_to: flags.forwardTo ?? null, keys: { encrypt_key: !!keys.encryptKey, verification_token: !!keys.verificationToken }, checked: keysSet })}\n`);
  else out.info(`Listening for callbacks on ${out.style.cyan(url)} (any path)${flags.save ? `; saving to ${flags.out}/` : ''}${flags.forwardTo ? `; forwarding to ${flags.forwardTo}` : ''}`);
  out.info('Expose it with a tunnel and set it as the callback URL; Ctrl-C to stop.');
  await stopped;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

interface ListenEntry {
  n: number;
  path: string | null;
  format: string | null;
  encrypted: boolean;
  signature: string;
  /** Refused callbacks are answered as the SDK does (200, empty) and neither forwarded nor saved. */
  refused: boolean;
  error: string | null;
  saved: string | null;
  forwarded: { status: number; ms: number } | null;
  answer: string | null;
}

/** --out must be a directory card can write to; found out at start, not at the first callback. */
async function checkOutDir(dir: string, cwd: string): Promise<void> {
  try {
    await ensurePrivateDir(dir, cwd);
    await access(resolveIn(cwd, dir), constants.W_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'it is not a directory' : e.code === 'EACCES' || e.code === 'EPERM' ? 'it is not writable' : e.message;
    throw usageError(`--out ${dir}: ${why}`, { hint: 'Give a directory to save recordings in, or --no-save.' });
  }
}

/** Errors of binding that come from the flags given, as usage errors naming the flag. */
function listenError(err: NodeJS.ErrnoException, port: number, host: string): Error {
  if (err.code === 'EADDRINUSE') return usageError(`port ${port} is in use`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return usageError(`--host ${host} is not an address of this machine (${err.code})`);
  if (err.code === 'EACCES') return usageError(`--port ${port} needs privileges this user lacks (EACCES)`);
  return err;
}
