import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { parseExpectations } from '../callback/expect.js';
import { resolveFixtures, shippedFixtures } from '../callback/fixtures.js';
import { parseAssignment } from '../callback/paths.js';
import { replayAll } from '../callback/replay.js';
import type { McpSession } from './session.js';
import { tool } from './tool-kit.js';

const DEFAULT_REPLAY_TIMEOUT_MS = 10_000;
const assignment = z.string().min(3).max(2000).regex(/^[^=]+=/, 'path=value');

export function registerCallbackTools(server: McpServer, session: McpSession): void {
  server.registerTool(
    'list_fixtures',
    {
      title: 'List callback fixtures',
      description: 'The callback and event payloads card ships (every interactive component\'s card.action.trigger, the legacy callback, url_verification, message events), by name, for replay_callback.',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(session.secrets, async () => {
      const fixtures = await shippedFixtures();
      return { data: { fixtures: fixtures.map((f) => ({ name: f.name, format: f.format, card_schema: f.cardSchema, encrypt: f.encrypt, description: f.description })) } };
    }),
  );

  server.registerTool(
    'replay_callback',
    {
      title: 'Replay a callback at a handler',
      description:
        'POSTs callback fixtures at your bot\'s handler the way the platform does (fresh ids, signed, encrypted when a key is given), then judges the answer by the platform\'s rules and your expectations, as `card replay-callback --url` does. ' +
        'Keys come from the arguments, else the server\'s profile or environment; they never appear in the result.',
      inputSchema: {
        fixtures: z.array(z.string().min(1).max(1000)).min(1).max(50).describe('shipped fixture names (list_fixtures), or fixture files / folders relative to the server\'s working directory'),
        url: z.string().max(2000).regex(/^https?:\/\/\S+$/, 'an http(s) URL').describe('the handler, e.g. http://localhost:3000/webhook/card'),
        encrypt_key: z.string().min(1).max(200).optional().describe('the app\'s Encrypt Key: signs (and encrypts) as the platform does'),
        verification_token: z.string().min(1).max(200).optional().describe('the app\'s Verification Token'),
        set: z.array(assignment).max(50).optional().describe('path=value overrides of the payload, e.g. event.action.value.id=42'),
        expect: z.array(assignment).max(50).optional().describe('path=value expectations of the answer, e.g. toast.type=success'),
        timeout_ms: z.number().int().min(1).max(60_000).optional().describe('give up on an answer after this long (default 10000); the 3 s budget is judged apart'),
      },
      annotations: { openWorldHint: false },
    },
    tool(session.secrets, async (args) => {
      session.secrets.add(args.encrypt_key, args.verification_token);
      const creds = await session.ctx.credentials().catch(() => null);
      session.secrets.add(creds?.appSecret?.value, creds?.encryptKey?.value, creds?.verificationToken?.value);
      const fixtures = await resolveFixtures(args.fixtures, session.ctx.cwd);
      const keys = { encryptKey: args.encrypt_key ?? creds?.encryptKey?.value ?? null, verificationToken: args.verification_token ?? creds?.verificationToken?.value ?? null };
      const results = await replayAll(
        fixtures,
        {
          url: args.url,
          timeoutMs: args.timeout_ms ?? DEFAULT_REPLAY_TIMEOUT_MS,
          keys,
          set: (args.set ?? []).map((pair) => parseAssignment(pair, 'set')),
          expectations: parseExpectations(args.expect ?? []),
          now: session.ctx.now,
        },
        4,
      );
      const failed = results.filter((r) => !r.ok).length;
      return { data: { passed: results.length - failed, failed, results }, failed: failed > 0 };
    }),
  );
}
