import { readFileSync } from 'node:fs';
import { usageError } from '../../output/errors.js';
import type { CommandContext } from '../declare.js';

interface McpFlags {
  allowRealSends?: boolean;
}

/** `card mcp`: the MCP server (src/mcp), loaded only here so no other command pays for the SDK. */
export async function run(ctx: CommandContext, flags: McpFlags): Promise<void> {
  const profile = ctx.globals.profile ?? ctx.env.CARD_PROFILE;
  if (flags.allowRealSends && !profile) {
    throw usageError('--allow-real-sends needs --profile: real sends go only with stored credentials you name', {
      hint: 'card --profile NAME mcp --allow-real-sends (card profile list shows them)',
    });
  }
  if (ctx.globals.json) ctx.out.warn('--json has no effect on card mcp: stdout carries the protocol');
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  const { serveStdio } = await import('../../mcp/server.js');
  await serveStdio(ctx, { realSends: !!flags.allowRealSends, version });
}
