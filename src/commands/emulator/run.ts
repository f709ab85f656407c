import type { Context } from '../../context.js';
import { PLATFORM_RATE_LIMITS } from '../../emulator/rate-limit.js';
import { parseEmulatorRateFlag, parseHostFlag, parseTokenTtlFlag } from '../options.js';
import { resolveSeed, startEmulator } from '../../emulator/server.js';
import { parseFaults } from '../../emulator/faults.js';
import { SeedError, withAppDefaults } from '../../emulator/seed.js';
import { allowedHostName, isLoopbackHost } from '../../emulator/trust.js';
import { usageError } from '../../output/errors.js';
import { untilStopped } from '../../io.js';

interface EmulatorOptions {
  port: number;
  host: string;
  allowHost?: string[];
  seed?: string;
  tokenTtl: string;
  rateLimit: boolean;
  rate?: string;
  faults?: string;
  callbackUrl?: string;
  eventUrl?: string;
  ws?: boolean;
  wsCardFrames?: boolean;
  maxMessages: number;
}

/** `--rate 50` or `--rate 50/s,3000/min`: the per-app limits. */
function parseRate(spec: string | undefined) {
  if (!spec) return undefined;
  const rate = parseEmulatorRateFlag(spec, { perSecond: PLATFORM_RATE_LIMITS.appPerSecond, perMinute: PLATFORM_RATE_LIMITS.appPerMinute });
  return { ...PLATFORM_RATE_LIMITS, appPerSecond: rate.perSecond, appPerMinute: rate.perMinute };
}

export async function run(ctx: Context, opts: EmulatorOptions): Promise<void> {
  const { port, maxMessages } = opts;
  const ttl = parseTokenTtlFlag(opts.tokenTtl);
  const host = parseHostFlag(opts.host);
  let faults;
  try {
    faults = opts.faults ? parseFaults(opts.faults) : undefined;
  } catch (err) {
    throw usageError((err as Error).message);
  }
  const limits = opts.rateLimit ? parseRate(opts.rate) : false;
  if (opts.callbackUrl && !/^https?:\/\//.test(opts.callbackUrl)) throw usageError(`--callback-url must be an http(s) URL, not "${opts.callbackUrl}"`);
  if (opts.eventUrl && !/^https?:\/\//.test(opts.eventUrl)) throw usageError(`--event-url must be an http(s) URL, not "${opts.eventUrl}"`);
  const allowHosts = (opts.allowHost ?? []).map((name) => {
    const b = allowedHostName(name);
    if (b === null) throw usageError(`--allow-host "${name}" is not a host name`, { hint: 'Give a name or an IP address, e.g. --allow-host host.docker.internal (no scheme, path or wildcard).' });
    return b;
  });
  let emulator;
  try {
    const seed = withAppDefaults(resolveSeed(opts.seed, ctx.cwd), opts);
    emulator = await startEmulator({
      port,
      host,
      allowHosts,
      seed,
      settings: { tokenTtlSeconds: ttl, maxMessages, ...(limits === undefined ? {} : { rateLimits: limits }), ...(faults ? { faults } : {}) },
    });
  } catch (err) {
    if (err instanceof SeedError) throw usageError(opts.seed ? `--seed: ${err.message}` : err.message, { hint: 'The seed format: docs/emulator.md, "The default seed and seed files".' });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw usageError(`port ${port} on ${opts.host} is in use`, { hint: 'Pick another with --port, or --port 0 for a free one.' });
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw usageError(`--host ${opts.host}: no address by that name to listen on`);
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES') throw usageError(`cannot listen on ${opts.host}:${port} (${code})`);
    throw err;
  }
  const { out } = ctx;
  const state = emulator.state();
  if (!isLoopbackHost(opts.host)) {
    out.warn(
      `the emulator listens on ${opts.host}, not only on this machine: anyone who can reach it can read its apps' secrets, send as its bots and reset it. ` +
        'It still answers only to requests naming a loopback address, this --host or an --allow-host name. Use --host 127.0.0.1 unless you mean it.',
    );
    // Nobody calls it "0.0.0.0": clients elsewhere name it by an address or name it must be told.
    if ((opts.host === '0.0.0.0' || opts.host === '::') && allowHosts.length === 0) {
      out.warn('clients on other machines or in containers name it by an address or name it does not know yet: add each with --allow-host (e.g. --allow-host host.docker.internal).');
    }
  }
  // Listen for the stop signal before saying we are ready: a script may send it right after.
  const stopped = untilStopped(ctx.io);
  if (out.json) {
    // A long-running command: one line announcing where it listens, for scripts to read.
    out.stdout.write(
      `${JSON.stringify({
        url: emulator.url,
        apps: state.apps,
        users: state.users,
        chats: state.chats,
        templates: state.templates,
        wps_apps: state.wps_apps,
      })}\n`,
    );
  } else {
    printSummary(ctx, emulator.url, state);
    logTraffic(ctx, emulator);
  }
  await stopped;
  await emulator.close();
  out.info('emulator stopped');
}

/** One line on stderr per request and per long connection that comes or goes. */
function logTraffic(ctx: Context, emulator: Awaited<ReturnType<typeof startEmulator>>): void {
  const { out } = ctx;
  emulator.core.ws.events.on('connect', (c) => out.stderr.write(`${out.style.dim(new Date().toISOString().slice(11, 23))} long connection: ${c.app_id} connected (connection ${c.device_id}, ${emulator.core.ws.connections(c.app_id).length} open)\n`));
  emulator.core.ws.events.on('disconnect', (c) => out.stderr.write(`${out.style.dim(new Date().toISOString().slice(11, 23))} long connection: ${c.app_id} disconnected (connection ${c.device_id})\n`));
  emulator.core.events.on('request', (r) => {
    const status = r.status < 300 ? out.style.green(String(r.status)) : out.style.red(String(r.status));
    const code = r.code ? ` code ${r.code}` : '';
    out.stderr.write(`${out.style.dim(r.time.slice(11, 23))} ${r.method} ${r.path} ${status}${code} ${out.style.dim(`${r.duration_ms}ms`)}\n`);
  });
}

function printSummary(ctx: Context, url: string, state: ReturnType<Awaited<ReturnType<typeof startEmulator>>['state']>): void {
  const { out } = ctx;
  const s = out.style;
  const lines = [`${s.bold('Open API emulator')} listening on ${s.cyan(url)}`, `Inbox (see and click the cards that arrive): ${s.cyan(`${url}/`)}`, '', s.bold('Apps')];
  for (const a of state.apps) {
    lines.push(`  ${a.name}`, `    app_id ${a.app_id}   app_secret ${a.app_secret}`);
    // Made-up keys of a local emulator: a bot needs them to verify the inbox's callbacks.
    if (a.encrypt_key || a.verification_token) lines.push(`    encrypt_key ${a.encrypt_key ?? '(none)'}   verification_token ${a.verification_token ?? '(none)'}`);
    if (a.scopes) lines.push(`    scopes ${a.scopes.join(', ')}`);
    const ws = `over the long connection (WSClient with domain ${url})${a.ws_card_frames ? ', as type=card frames' : ''}`;
    lines.push(`    callbacks ${a.callback_mode === 'ws' ? ws : `→ ${a.callback_url}`}`);
    lines.push(`    events    ${a.event_mode === 'ws' ? 'over the long connection' : `→ ${a.event_url}`}`);
  }
  lines.push('', s.bold('Users'));
  for (const u of state.users) {
    lines.push(`  ${u.name.padEnd(14)} ${u.open_id}  ${(u.mobile ?? '').padEnd(15)} ${u.email ?? ''}${u.resigned ? '  (resigned)' : ''}`);
  }
  if (state.chats.length) lines.push('', s.bold('Chats'));
  for (const c of state.chats) lines.push(`  ${c.name.padEnd(14)} ${c.chat_id}  ${c.members.length} members`);
  if (state.templates.length) lines.push('', s.bold('Templates'));
  for (const t of state.templates) lines.push(`  ${t.template_id}  versions ${t.versions.map((v) => v.version_name).join(', ')}`);
  if (state.wps_apps.length) lines.push('', s.bold('WPS 协作 apps') + s.dim(`  (under ${url}/o/woa)`));
  for (const w of state.wps_apps) lines.push(`  ${w.name ?? w.app_key}  AK ${w.app_key}  SK ${w.secret}  company ${w.company_id}`);
  const first = state.apps[0]!;
  lines.push(
    '',
    'Point card at it:',
    `  export CARD_BASE_URL=${url} CARD_APP_ID=${first.app_id} CARD_APP_SECRET=${first.app_secret}`,
    `Request log: ${url}/_emulator/requests   Messages: ${url}/_emulator/messages`,
    '',
  );
  out.print(lines.join('\n'));
}
