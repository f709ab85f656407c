import { resolveBaseUrl } from '../../feishu/base-url.js';
import { actOnCard, say as sayAs, type ActOutcome, type CardAction, type SayOutcome } from '../../inbox/act.js';
import { DEFAULT_EMULATOR_URL, InboxClient } from '../../inbox/client.js';
import { listMessages, messageOrList, personOf, showMessage } from '../../inbox/read.js';
import { CliError, usageError } from '../../output/errors.js';
import type { ChatRequest } from '../../inbox/person.js';
import type { SendSpec } from '../../inbox/send-content.js';
import { table } from '../../output/format.js';
import type { CommandContext } from '../declare.js';
import { actText, personText, rowLine, sayText, shownText } from './format.js';
import type { PersonOutcome } from '../../inbox/person.js';

/** How long `wait` waits when --timeout is not given. */
const WAIT_MS = 10_000;

function clientOf(ctx: CommandContext): InboxClient {
  const given = ctx.globals.baseUrl ?? ctx.env.CARD_BASE_URL;
  const source = ctx.globals.baseUrl ? '--base-url' : given ? 'CARD_BASE_URL' : 'the default emulator URL';
  return new InboxClient(resolveBaseUrl(given || DEFAULT_EMULATOR_URL, source), ctx.timeoutMs, ctx.globals.verbose ? (line) => ctx.out.debug(line) : null);
}

export async function list(ctx: CommandContext, opts: { chat?: string; limit?: number }): Promise<void> {
  const { messages, total } = await listMessages(clientOf(ctx), opts);
  if (messages.length) ctx.out.print(table(messages.map(rowLine), !!ctx.out.stdout.isTTY));
  ctx.out.info(`${messages.length} of ${total} message${total === 1 ? '' : 's'}`);
  ctx.out.result({ messages, total });
}

export async function show(ctx: CommandContext, id: string, opts: { as?: string }): Promise<void> {
  const client = clientOf(ctx);
  const viewer = opts.as === undefined ? undefined : personOf(await client.state(), opts.as).open_id;
  const shown = await showMessage(client, id, viewer);
  ctx.out.print(shownText(shown));
  ctx.out.result(shown);
}

/** Prints how the bot answered; exit 5 naming why when the answer fails in the client. */
function report(ctx: CommandContext, outcome: ActOutcome | SayOutcome | PersonOutcome, text: string): void {
  ctx.out.print(text);
  if (!outcome.ok) {
    throw new CliError('check', `the bot's answer fails: ${outcome.reasons[0] ?? 'see above'}`, { code: 'answer_failed', hint: outcome.reasons.slice(1).join('\n') || null, details: outcome });
  }
  ctx.out.result(outcome);
}

async function act(ctx: CommandContext, id: string, what: CardAction, as: string | undefined, verb: string): Promise<void> {
  const outcome = await actOnCard(clientOf(ctx), id, what, as);
  report(ctx, outcome, actText(outcome, verb));
}

export const click = (ctx: CommandContext, id: string, target: string, opts: { as?: string }) => act(ctx, id, { kind: 'click', target }, opts.as, 'clicked');

export const choose = (ctx: CommandContext, id: string, target: string, options: string[], opts: { as?: string }) => act(ctx, id, { kind: 'choose', target, options }, opts.as, 'chose in');

export async function fill(ctx: CommandContext, id: string, pairs: string[], opts: { submit?: string; as?: string }): Promise<void> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw usageError(`"${pair}" is not name=value`, { hint: 'Name each field: card inbox fill om_xxx title="Lunch" amount=42' });
    values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  await act(ctx, id, { kind: 'fill', values, submit: opts.submit }, opts.as, 'submitted with');
}

export async function say(ctx: CommandContext, where: string, text: string, opts: { as?: string }): Promise<void> {
  const outcome = await sayAs(clientOf(ctx), where, text, opts.as);
  report(ctx, outcome, sayText(outcome));
}

export async function wait(ctx: CommandContext, opts: { chat?: string; fromBot?: boolean }): Promise<void> {
  const { waitForArrival } = await import('../../inbox/wait.js');
  const timeoutMs = ctx.globals.timeout ? ctx.timeoutMs : WAIT_MS;
  const arrival = await waitForArrival(clientOf(ctx), { chat: opts.chat, fromBot: !!opts.fromBot }, timeoutMs, ctx.clock, (stop) => ctx.io.onStop(stop), () => ctx.out.info(`waiting up to ${timeoutMs} ms…`));
  ctx.out.print(`${arrival.event}\t${table([rowLine(arrival.message)], false)}`);
  ctx.out.result(arrival);
}

export async function screenshot(ctx: CommandContext, id: string | undefined, opts: { out: string; dark?: boolean; as?: string }): Promise<void> {
  const client = clientOf(ctx);
  const [{ checkWritableFile, writeUserFile }, { screenshotInbox }] = await Promise.all([import('../../card/render/output-path.js'), import('../../inbox/screenshot.js')]);
  await checkWritableFile(opts.out, '--out', ctx.cwd);
  const message = id === undefined ? null : await messageOrList(client, id);
  const viewer = opts.as === undefined ? undefined : personOf(await client.state(), opts.as).open_id;
  const shot = await screenshotInbox(client.baseUrl, ctx.env, { chatId: message?.chat_id, messageId: message?.message_id, viewer, dark: opts.dark, warn: (m) => ctx.out.warn(m), launch: ctx.io.launchBrowser });
  if (shot.missingGlyphs.length) ctx.out.warn(`no font draws ${shot.missingGlyphs.length} character${shot.missingGlyphs.length === 1 ? '' : 's'} on the page: ${shot.missingGlyphs.slice(0, 12).join(' ')}`);
  await writeUserFile(opts.out, shot.png, '--out', ctx.cwd);
  ctx.out.print(opts.out);
  ctx.out.result({ file: opts.out, message_id: message?.message_id ?? null, dark: !!opts.dark, bytes: shot.png.length, missing_glyphs: shot.missingGlyphs, browser: shot.browser?.source ?? null });
}

export async function record(ctx: CommandContext, opts: { out: string; setup?: string; untilSignal?: boolean }): Promise<void> {
  const [{ checkWritableFile, writeUserFile }, { recordTest }] = await Promise.all([import('../../card/render/output-path.js'), import('../../inbox/record.js')]);
  await checkWritableFile(opts.out, '--out', ctx.cwd);
  const typescript = /\.[cm]?tsx?$/i.test(opts.out);
  const done = await recordTest(
    clientOf(ctx),
    { stdin: opts.untilSignal ? null : ctx.stdin, onStop: (h) => ctx.io.onStop(h) },
    { typescript, setup: opts.setup, onStarted: (rec) => ctx.out.info(`recording ${rec.id}: act in the inbox, then press Enter (or Ctrl-C)${opts.untilSignal ? ' — waiting for SIGINT or SIGTERM' : ''}`) },
  );
  await writeUserFile(opts.out, done.text, '--out', ctx.cwd);
  const steps = done.recording.steps.length;
  ctx.out.print(opts.out);
  ctx.out.info(`${steps} step${steps === 1 ? '' : 's'} recorded${done.recording.truncated ? ' (the limit was reached: later steps were not kept)' : ''}`);
  ctx.out.result({ file: opts.out, recording_id: done.recording.id, steps, truncated: done.recording.truncated, stopped_by: done.stopped_by, language: typescript ? 'typescript' : 'javascript' });
}

// ── a person's other actions: reactions, reads, recalls, messages of every kind, chats ──

const person = () => import('../../inbox/person.js');

async function personAct(ctx: CommandContext, go: (p: Awaited<ReturnType<typeof person>>, client: InboxClient) => Promise<PersonOutcome>): Promise<void> {
  const outcome = await go(await person(), clientOf(ctx));
  report(ctx, outcome, personText(outcome));
}

export const react = (ctx: CommandContext, id: string, emoji: string, opts: { as?: string }) => personAct(ctx, (p, c) => p.react(c, id, emoji, opts.as));

export const unreact = (ctx: CommandContext, id: string, emoji: string, opts: { as?: string }) => personAct(ctx, (p, c) => p.unreact(c, id, emoji, opts.as));

export const read = (ctx: CommandContext, id: string, opts: { as?: string }) => personAct(ctx, (p, c) => p.read(c, id, opts.as));

export const recall = (ctx: CommandContext, id: string, opts: { as?: string }) => personAct(ctx, (p, c) => p.recall(c, id, opts.as));

export async function send(ctx: CommandContext, where: string, opts: SendSpec & { as?: string }): Promise<void> {
  const { sendContentOf, cliFlag } = await import('../../inbox/send-content.js');
  const { as, ...spec } = opts;
  const content = await sendContentOf(spec, cliFlag, ctx.cwd, `For example: card inbox send ${where.includes(' ') ? JSON.stringify(where) : where} --image pic.png. For text: card inbox say.`);
  await personAct(ctx, (p, c) => p.sendAs(c, where, content, as));
}

export const menu = (ctx: CommandContext, bot: string, eventKey: string, opts: { as?: string }) => personAct(ctx, (p, c) => p.pressMenu(c, bot, eventKey, opts.as));

export const pasteLink = (ctx: CommandContext, where: string, url: string, opts: { as?: string }) => personAct(ctx, (p, c) => p.pasteLink(c, where, url, opts.as));

const chatAct = (ctx: CommandContext, r: ChatRequest) => personAct(ctx, (p, c) => p.chatAction(c, r));

export const chatCreate = (ctx: CommandContext, name: string, opts: { bot?: string[]; member?: string[]; as?: string }) =>
  chatAct(ctx, { verb: 'create', name, bots: opts.bot, people: opts.member, as: opts.as });

const botArg = (bot: string | undefined) => (bot === undefined ? undefined : [bot]);

export const chatAddBot = (ctx: CommandContext, chat: string, bot: string | undefined, opts: { as?: string }) => chatAct(ctx, { verb: 'add-bot', chat, bots: botArg(bot), as: opts.as });

export const chatRemoveBot = (ctx: CommandContext, chat: string, bot: string | undefined, opts: { as?: string }) => chatAct(ctx, { verb: 'remove-bot', chat, bots: botArg(bot), as: opts.as });

export const chatAdd = (ctx: CommandContext, chat: string, people: string[], opts: { as?: string }) => chatAct(ctx, { verb: 'add', chat, people, as: opts.as });

export const chatRemove = (ctx: CommandContext, chat: string, who: string, opts: { as?: string }) => chatAct(ctx, { verb: 'remove', chat, people: [who], as: opts.as });

export const chatWithdraw = (ctx: CommandContext, chat: string, people: string[], opts: { as?: string }) => chatAct(ctx, { verb: 'withdraw', chat, people, as: opts.as });

export const chatLeave = (ctx: CommandContext, chat: string, opts: { as: string }) => chatAct(ctx, { verb: 'leave', chat, as: opts.as });

export const chatRename = (ctx: CommandContext, chat: string, name: string | undefined, opts: { description?: string; as?: string }) => chatAct(ctx, { verb: 'rename', chat, name, description: opts.description, as: opts.as });

export const chatDisband = (ctx: CommandContext, chat: string, opts: { as?: string }) => chatAct(ctx, { verb: 'disband', chat, as: opts.as });

export const chatOpen = (ctx: CommandContext, bot: string | undefined, opts: { as?: string }) => chatAct(ctx, { verb: 'open', bots: botArg(bot), as: opts.as });
