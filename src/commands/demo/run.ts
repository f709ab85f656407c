import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../emulator/server.js';
import { batchGetUserIds, createChat, patchMessage, sendMessage } from '../../feishu/api.js';
import { mask } from '../../config/credentials.js';
import { untilStopped } from '../../io.js';
import type { CommandContext } from '../declare.js';

const CARDS = new URL('../../../fixtures/cards/', import.meta.url);

/** A card shipped with the package, named so the command works from where the user is. */
function shippedCard(name: string, cwd: string): string {
  const abs = fileURLToPath(new URL(name, CARDS));
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

interface DemoOptions {
  keep?: boolean;
}

/** The loop a new user walks through, against an emulator started just for it. */
export async function run(ctx: CommandContext, opts: DemoOptions): Promise<void> {
  const { out } = ctx;
  const s = out.style;
  const emu = await startEmulator({ port: 0 });
  const app = emu.state().apps[0]!;
  const client = await ctx.client({ app: { baseUrl: emu.url, appId: app.app_id, appSecret: app.app_secret } });
  const steps: Array<Record<string, unknown>> = [];
  let n = 0;
  const step = (title: string, detail: string, data: Record<string, unknown>) => {
    steps.push({ step: title, ...data });
    out.print(`${s.green('✓')} ${s.bold(`${++n}. ${title}`)}\n    ${detail.replace(/\n/g, '\n    ')}`);
  };
  try {
    out.print(`${s.bold('card demo')}: the whole loop against an emulator at ${s.cyan(emu.url)}\n`);

    const token = await client.token();
    step('Get a tenant_access_token', `card token  →  ${mask(token.token)} (expires in 2h; cached on disk in real use)`, { token: mask(token.token) });

    const users = await batchGetUserIds(client, { mobiles: ['+8613800000001'], emails: ['bob@example.com'] });
    const [alice, bob] = users.map((u) => u.user_id!);
    step('Look up users by mobile and email', `card lookup-user +8613800000001 bob@example.com\n  +8613800000001  ${alice}\n  bob@example.com ${bob}`, { users });

    const chat = await createChat(client, { name: 'card demo', ownerId: alice, userIds: [bob!], uuid: 'card-demo' });
    step('Create a test group with the bot in it', `card create-chat --name "card demo" --owner +8613800000001 --users bob@example.com  →  ${chat.chat_id}`, { chat_id: chat.chat_id });

    const inline = JSON.parse(await readFile(new URL('approval.v2.json', CARDS), 'utf8'));
    const sent = await sendMessage(client, { receiveIdType: 'chat_id', receiveId: chat.chat_id, msgType: 'interactive', content: JSON.stringify(inline), uuid: 'card-demo-inline' });
    step('Send an inline JSON 2.0 card to the group', `card send ${shippedCard('approval.v2.json', ctx.cwd)} --to ${chat.chat_id}  →  ${sent.message_id}`, { message_id: sent.message_id });

    const template = { type: 'template', data: { template_id: 'AAqDemoApprov', template_variable: { applicant: 'Alice Zhang', amount: 1280 } } };
    const sentTemplate = await sendMessage(client, { receiveIdType: 'email', receiveId: 'alice@example.com', msgType: 'interactive', content: JSON.stringify(template), uuid: 'card-demo-template' });
    step('Send a template card with variables to a user', `card send --template AAqDemoApprov --var applicant="Alice Zhang" --var amount=1280 --to alice@example.com  →  ${sentTemplate.message_id}`, { message_id: sentTemplate.message_id });

    const approved = JSON.parse(await readFile(new URL('approved.v2.json', CARDS), 'utf8'));
    await patchMessage(client, sent.message_id, JSON.stringify(approved));
    step('Update the first card in place', `card update ${sent.message_id} ${shippedCard('approved.v2.json', ctx.cwd)}`, { message_id: sent.message_id });

    const stored = emu.messages();
    const rendered = stored.find((m) => m.message_id === sentTemplate.message_id)!.card as { body: { elements: Array<{ content?: string }> } };
    out.print(
      [
        '',
        `The emulator now holds ${stored.length} messages; the template arrived rendered as:`,
        s.dim(`    ${String(rendered.body.elements[0]?.content ?? '').trimEnd().replace(/\n/g, '\n    ')}`),
        '',
        s.bold('Next'),
        '  npx card emulator                  run the emulator yourself (in another terminal), then point card at it:',
        `  export CARD_BASE_URL=http://127.0.0.1:3001 CARD_APP_ID=${app.app_id} CARD_APP_SECRET=${app.app_secret}`,
        `  npx card send ${shippedCard('approval.v2.json', ctx.cwd)} --to alice@example.com`,
        '  npx card --help                    every command; the README has the details',
      ].join('\n'),
    );
    out.result({ emulator_url: emu.url, app_id: app.app_id, steps, messages: stored.length });
    if (opts.keep) {
      out.info(`\nThe emulator stays up at ${emu.url} (its messages: ${emu.url}/_emulator/messages). Ctrl-C to stop.`);
      await untilStopped(ctx.io);
    }
  } finally {
    await emu.close();
  }
}
