import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { Context } from '../../context.js';
import type { CommandContext } from '../declare.js';
import { loadCard } from '../../card/load.js';
import { printable } from '../../output/printable.js';
import { DEFAULT_ELEMENT_ID, defaultStreamCard, prepareStreamCard } from '../../card/stream-card.js';
import { sendMessage } from '../../feishu/api.js';
import { CardStreamer, cleanText, MAX_STREAM_CHARS, summaryOf } from '../../feishu/card-stream.js';
import { createCardEntity, entityContent, replyMessage } from '../../feishu/cardkit.js';
import { resolveReceivers } from '../../feishu/receivers.js';
import type { ReceiveIdType } from '../../feishu/receive-id-type.js';
import { CliError, toCliError, usageError } from '../../output/errors.js';

interface StreamOptions {
  to?: string;
  receiveIdType?: ReceiveIdType;
  replyTo?: string;
  inThread?: boolean;
  card?: string;
  elementId?: string;
  title?: string;
  interval: string;
  uuid?: string;
  /** false with --no-lint. */
  lint?: boolean;
}

/** What the platform's CardKit codes mean for someone streaming, said where it fails. */
const STREAM_HINTS: Record<string, string> = {
  '300317': 'The sequence did not grow: something else is updating this card with its own sequence.',
  '300309': 'Streaming mode was closed (by another update, or it timed out): the card keeps the text it had.',
  '200850': 'Streaming mode timed out (10 minutes after it was turned on).',
  '200810': 'Someone clicked the card and the callback is still being answered; updates wait until it is.',
  '300311': 'Only the app that created a card entity can update it.',
};

function checkFlags(opts: StreamOptions): number {
  if (!opts.to && !opts.replyTo) throw usageError('say where the card goes: --to <receiver> or --reply-to <om_…>');
  if (opts.to && opts.replyTo) throw usageError('give --to or --reply-to, not both');
  if (opts.inThread && !opts.replyTo) throw usageError('--in-thread goes with --reply-to');
  if (opts.replyTo && !/^om_\w+$/.test(opts.replyTo)) throw usageError(`--reply-to "${opts.replyTo}" is not a message id (om_…)`);
  if (opts.elementId && !opts.card) throw usageError('--element-id goes with --card: the default card streams into its own element');
  if (opts.card && !opts.elementId) throw usageError('--card needs --element-id: the markdown or plain_text element the text goes into');
  if (opts.card === '-') throw usageError('--card cannot be read from stdin here: stdin carries the text to stream');
  if (opts.title && opts.card) throw usageError('--title is for the default card; put the title in your --card file');
  if (opts.uuid && opts.uuid.length > 50) throw usageError('--uuid may be at most 50 characters');
  const interval = Number(opts.interval);
  if (!/^\d+$/.test(opts.interval) || interval < 100 || interval > 60_000) {
    throw usageError(`--interval must be a whole number of milliseconds from 100 to 60000, not "${opts.interval}"`);
  }
  return interval;
}

/** The text source: the command's output, or stdin. Resolves at its end or when stopped. */
function readInput(source: Readable[], onText: (chunk: string) => void, child: ChildProcess | null): { done: Promise<number | null>; stop: () => void } {
  let stop!: () => void;
  const done = new Promise<number | null>((resolve) => {
    const decoder = new StringDecoder('utf8');
    let open = source.length;
    let finished = false;
    const finish = (code: number | null) => {
      if (finished) return;
      finished = true;
      onText(decoder.end());
      resolve(code);
    };
    stop = () => {
      if (child && child.exitCode === null) child.kill('SIGINT');
      for (const s of source) s.pause();
      finish(null);
    };
    for (const s of source) {
      s.on('data', (chunk: Buffer | string) => onText(typeof chunk === 'string' ? chunk : decoder.write(chunk)));
      s.on('error', () => finish(null));
      s.on('end', () => {
        if (--open === 0 && !child) finish(0);
      });
    }
    child?.on('close', (code) => finish(code ?? null));
  });
  return { done, stop };
}

export async function run(ctx: CommandContext, command: string[], opts: StreamOptions): Promise<void> {
  const interval = checkFlags(opts);
  const elementId = opts.elementId ?? DEFAULT_ELEMENT_ID;
  const card = opts.card ? await cardFromFile(ctx, opts.card, elementId, opts.lint !== false) : defaultStreamCard(opts.title);
  const creds = await ctx.credentials();
  if (creds.platform === 'wps') throw usageError('card stream uses Feishu / Lark CardKit; WPS has no streaming cards');

  const getClient = () => ctx.client();
  const target = opts.to ? (await resolveReceivers([opts.to], { receiveIdType: opts.receiveIdType, client: getClient }))[0]! : null;
  let child: ChildProcess | null = null;
  let sources: Readable[] = [ctx.stdin];
  if (command.length) {
    child = spawn(command[0]!, command.slice(1), { cwd: ctx.cwd, env: ctx.env, stdio: ['ignore', 'pipe', 'pipe'] });
    // A command that cannot start is found out before any card is made.
    await new Promise<void>((resolve, reject) => {
      child!.once('spawn', resolve);
      child!.once('error', (err) => reject(usageError(`cannot run ${command[0]}: ${err.message}`, { hint: 'Nothing was sent. The command runs without a shell: for pipes or quoting, use -- sh -c "…".' })));
    });
    sources = [child.stdout!, child.stderr!];
  }
  // Input is read from the start, so nothing is lost while the card is made and sent.
  let raw = '';
  let streamer: CardStreamer | null = null;
  const input = readInput(
    sources,
    (chunk) => {
      if (!chunk) return;
      raw += chunk;
      // Only the end can be shown; keep a margin so a split escape sequence still cleans up.
      if (raw.length > MAX_STREAM_CHARS * 2) raw = raw.slice(raw.length - MAX_STREAM_CHARS - 1024);
      streamer?.set(cleanText(raw));
    },
    child,
  );
  let interrupted = false;
  const onSignal = () => {
    // A second Ctrl-C means now: leave without waiting on the platform.
    if (interrupted) ctx.io.exit(130);
    interrupted = true;
    ctx.out.info('Stopping: sending the last text and closing streaming…');
    input.stop();
  };
  const stopListening = ctx.io.onStop(onSignal);
  let exitCode: number | null;
  let sent: Awaited<ReturnType<typeof sendMessage>>;
  let cardId: string;
  try {
    const c = await getClient();
    try {
      cardId = await createCardEntity(c, card);
      const content = entityContent(cardId);
      sent = target
        ? await sendMessage(c, { receiveIdType: target.receiveIdType, receiveId: target.receiveId, msgType: 'interactive', content, uuid: opts.uuid })
        : await replyMessage(c, opts.replyTo!, { msgType: 'interactive', content, uuid: opts.uuid, inThread: opts.inThread });
    } catch (err) {
      input.stop();
      throw err;
    }
    ctx.out.info(`Streaming into ${sent.message_id} (card ${cardId})${command.length ? ` from ${command.join(' ')}` : ''}; Ctrl-C ends it`);
    if (!command.length && (ctx.stdin as { isTTY?: boolean }).isTTY) ctx.out.info('Reading from the terminal: type, then Ctrl-D to end.');
    streamer = new CardStreamer({ client: c, cardId, elementId, intervalMs: interval, clock: ctx.clock });
    if (raw) streamer.set(cleanText(raw));
    exitCode = await input.done;
    try {
      await streamer.finish(summaryOf(cleanText(raw)) || '(no output)');
    } catch (err) {
      throw explain(err, sent.message_id, cardId, streamer.closed);
    }
  } finally {
    stopListening();
  }
  if (streamer.truncated) ctx.out.warn(`the text passed ${MAX_STREAM_CHARS} characters, the most one element takes: the card shows its end`);
  const chars = streamer.truncated ? MAX_STREAM_CHARS : cleanText(raw).length;
  ctx.out.print(sent.message_id);
  ctx.out.success(`Streamed ${chars} characters into ${sent.message_id} in ${streamer.pushes} update${streamer.pushes === 1 ? '' : 's'}${interrupted ? ' (stopped by a signal)' : ''}; streaming closed`);
  const result = {
    message_id: sent.message_id,
    chat_id: sent.chat_id ?? null,
    card_id: cardId,
    element_id: elementId,
    characters: chars,
    updates: streamer.pushes,
    last_sequence: streamer.sequence,
    interrupted,
    command_exit_code: child ? exitCode : null,
  };
  // The command's failure is the run's verdict (exit 5), said once the card is closed.
  if (child && exitCode !== 0 && !interrupted) throw commandFailed(command[0]!, exitCode, result);
  ctx.out.result(result);
}

/** The user's card, checked for streaming, then linted with CardKit's rules: a bad card stops before any request. */
async function cardFromFile(ctx: Context, file: string, elementId: string, lint: boolean) {
  const { card: raw, name, text } = await loadCard(file, ctx.stdin, ctx.cwd);
  const card = prepareStreamCard(raw, name, elementId);
  if (!lint) return card;
  const { lintCard } = await import('../../card/lint.js');
  const report = await lintCard(card, text, name, { cardkit: true });
  const line = (p: (typeof report.problems)[number]) => `${name}:${p.line ?? '-'}:${p.column ?? '-'} ${printable(p.message)} [${p.rule}]`;
  if (report.errors) {
    const errors = report.problems.filter((p) => p.severity === 'error');
    throw new CliError('check', `${name} has ${report.errors} lint error${report.errors === 1 ? '' : 's'}; nothing was sent`, {
      code: 'lint_failed',
      hint: [...errors.slice(0, 5).map(line), `card lint ${name} --cardkit shows them all; --no-lint streams it anyway.`].join('\n'),
      details: { file: name, problems: report.problems },
    });
  }
  for (const p of report.problems) ctx.out.warn(line(p));
  return card;
}

function explain(err: unknown, messageId: string, cardId: string, closed: boolean): CliError {
  const e = toCliError(err);
  const hint = STREAM_HINTS[String(e.code)];
  const state = closed
    ? 'streaming mode was closed'
    : 'streaming mode could NOT be closed: the card shows "[Generating...]" until the platform closes it, 10 minutes after it was turned on';
  return new CliError(e.type, `streaming into ${messageId} (card ${cardId}) failed: ${e.message}; ${state}`, {
    code: e.code,
    logId: e.logId,
    hint: [e.hint, hint].filter(Boolean).join('\n') || null,
    details: { message_id: messageId, card_id: cardId, streaming_closed: closed },
    cause: err,
  });
}

/** A streamed command that failed: exit 5 (a check failed), its own code in the message and the details. */
function commandFailed(name: string, exitCode: number | null, details: Record<string, unknown>): CliError {
  const how = exitCode === null ? 'was ended by a signal' : `exited with code ${exitCode}`;
  return new CliError('check', `${name} ${how}; its output was streamed and the card closed`, {
    code: 'command_failed',
    hint: 'card stream exits 5 when the command it runs fails; the command\'s own code is in the JSON output (command_exit_code).',
    details,
  });
}
