import { isObject } from '../../card/inspect.js';
import { inferFormat } from '../../callback/fixtures.js';
import { recordingName, scrub } from '../../callback/record.js';
import { ensurePrivateDir } from '../../callback/recording-files.js';
import { saveRecording } from '../../callback/recordings.js';
import type { Credentials } from '../../config/credentials.js';
import { requireAppCredentials } from '../../config/credentials.js';
import type { Context } from '../../context.js';
import { resolveBaseUrl } from '../../feishu/base-url.js';
import { send } from '../../http/request.js';
import { CliError } from '../../output/errors.js';
import type { FrameResponse } from '../../ws/frames.js';
import { challengeRequest, webhookRequest, type WebhookKeys } from '../../ws/forward.js';
import type { InboundMessage } from '../../ws/client.js';
import { untilStopped } from '../../io.js';

export interface ListenWsFlags {
  out: string;
  forwardTo?: string;
  save: boolean;
}

/** Turns control characters (terminal escapes in untrusted payloads) into visible text. */
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * `card listen --ws`: be one of the app's long-connection clients, record what arrives, and
 * forward each message to a local webhook handler as the platform would POST it, relaying the
 * handler's answer back as the ack. Opens no port of its own.
 */
export async function runWs(ctx: Context, flags: ListenWsFlags, creds: Credentials, keys: WebhookKeys): Promise<void> {
  const { out } = ctx;
  const { appId, appSecret } = requireAppCredentials(creds);
  const baseUrl = resolveBaseUrl(creds.domain.value, `base URL (from ${creds.domain.source})`);
  let count = 0;

  const forward = async (body: string, headers: Record<string, string>) => {
    const started = performance.now();
    try {
      // Through the one HTTP layer (no redirects followed, plain http allowed: the handler is usually local).
      const res = await send({ method: 'POST', url: flags.forwardTo!, headers, body, timeoutMs: ctx.timeoutMs, plainHttp: 'any' });
      return { status: res.status, text: res.body.toString('utf8'), ms: Math.round(performance.now() - started), error: null as string | null };
    } catch (err) {
      return { status: null, text: '', ms: Math.round(performance.now() - started), error: `card listen could not reach ${flags.forwardTo}: ${(err as Error).message}` };
    }
  };

  const onMessage = async (m: InboundMessage): Promise<FrameResponse> => {
    const n = ++count;
    let payload: Record<string, unknown> | null = null;
    try {
      const parsed = JSON.parse(m.payload.toString('utf8')) as unknown;
      payload = isObject(parsed) ? parsed : null;
    } catch {
      payload = null;
    }
    const format = payload ? inferFormat(payload) : null;
    const eventType = payload && isObject(payload.header) ? String(payload.header.event_type ?? '') : '';
    let saved: string | null = null;
    if (flags.save && payload) {
      await ensurePrivateDir(flags.out, ctx.cwd);
      const description = `recorded ${new Date(ctx.now()).toISOString()} over the long connection (${clean(m.type)} frame)`;
      saved = await saveRecording(flags.out, (k) => recordingName(format, payload, k), n, (name) => ({ _meta: { name, format, description }, payload: scrub(payload!) }), ctx.cwd);
    }
    let ack: FrameResponse = { code: 200, data: Buffer.from('{}').toString('base64') };
    let forwarded: { status: number | null; ms: number; error: string | null } | null = null;
    if (flags.forwardTo && payload) {
      const req = webhookRequest(payload, keys, ctx.now());
      const r = await forward(req.body, req.headers);
      forwarded = { status: r.status, ms: r.ms, error: r.error };
      // The handler's HTTP status becomes the ack's code and its body the ack's data (§1.7).
      ack = r.status === null ? { code: 500 } : { code: r.status, ...(r.text ? { data: Buffer.from(r.text).toString('base64') } : {}) };
    } else if (!payload) {
      ack = { code: 500 };
    }
    const entry = { n, frame_type: m.type, message_id: m.message_id, fragments: m.fragments, format, event_type: eventType || null, saved, forwarded, ack_code: ack.code };
    if (out.json) out.stdout.write(`${JSON.stringify(entry)}\n`);
    else {
      const s = out.style;
      const what = clean(eventType || format || 'not JSON');
      const frame = m.type === 'event' ? '' : s.red(`  ${clean(m.type)} frame: the official SDKs drop these without answering`);
      const fwd = forwarded ? (forwarded.error ? `  → ${s.red(clean(forwarded.error))}` : `  → forwarded: HTTP ${forwarded.status} in ${forwarded.ms} ms`) : '';
      out.stderr.write(`${s.bold(`#${n}`)} ${what}${m.fragments > 1 ? ` (${m.fragments} fragments)` : ''}${frame}${saved ? `  → ${saved}` : ''}${fwd}\n`);
    }
    return ack;
  };

  const { LongConnection } = await import('../../ws/client.js');
  const conn = new LongConnection({
    baseUrl,
    appId,
    appSecret,
    timeoutMs: ctx.timeoutMs,
    onMessage,
    onStatus: (line) => out.warn(`listen: ${line}`),
    log: out.verbose ? (line) => out.debug(line) : null,
  });

  // The platform checks a webhook URL with the challenge when it is saved; do the same up front.
  if (flags.forwardTo) {
    const c = challengeRequest(keys);
    const r = await forward(c.body, c.headers);
    let echoed: unknown = null;
    try {
      echoed = (JSON.parse(r.text) as Record<string, unknown>).challenge;
    } catch {
      echoed = null;
    }
    if (r.error) out.warn(`listen: ${r.error}; messages will be acked with code 500 until it answers`);
    else if (r.status !== 200 || echoed !== c.challenge) out.warn(`listen: ${flags.forwardTo} did not echo the url_verification challenge (HTTP ${r.status}); the platform would refuse to save it as a URL`);
  }

  try {
    await conn.start();
  } catch (err) {
    conn.close();
    throw err instanceof CliError ? err : new CliError('network', (err as Error).message);
  }
  const stopped = untilStopped(ctx.io);
  if (out.json) {
    out.stdout.write(`${JSON.stringify({ mode: 'ws', app_id: appId, base_url: baseUrl, connection: conn.deviceId, out: flags.save ? flags.out : null, forward_to: flags.forwardTo ?? null, keys: { encrypt_key: !!keys.encryptKey, verification_token: !!keys.verificationToken } })}\n`);
  } else {
    out.info(`Connected to ${out.style.cyan(baseUrl)} as a long-connection client of ${appId} (connection ${conn.deviceId})${flags.save ? `; saving to ${flags.out}/` : ''}${flags.forwardTo ? `; forwarding to ${flags.forwardTo}` : ''}. Ctrl-C to stop.`);
  }
  out.warn('listen: the platform sends each message to ONE random connected client of the app: while your bot (or production) is connected too, they share the traffic and this listener sees only part of it.');
  await stopped;
  conn.close();
}
