import { mask } from '../../config/credentials.js';
import type { CommandContext } from '../declare.js';
import { humanDuration } from '../../output/format.js';

export async function run(ctx: CommandContext, opts: { refresh?: boolean; reveal?: boolean }): Promise<void> {
  const client = await ctx.client();
  const info = await client.token(!!opts.refresh);
  const shown = opts.reveal ? info.token : mask(info.token);
  const remaining = info.expiresAt - ctx.now();
  ctx.out.print(shown);
  if (info.note) ctx.out.info(`fetched a new token: ${info.note}`);
  ctx.out.info(`${info.source === 'cache' ? 'from cache' : 'fetched'} · app ${client.appId} · ${client.baseUrl} · expires in ${humanDuration(remaining)} (${new Date(info.expiresAt).toISOString()})`);
  ctx.out.result({
    token: shown,
    masked: !opts.reveal,
    source: info.source,
    note: info.note ?? null,
    expires_at: new Date(info.expiresAt).toISOString(),
    expires_in_seconds: Math.floor(remaining / 1000),
    app_id: client.appId,
    base_url: client.baseUrl,
  });
}
