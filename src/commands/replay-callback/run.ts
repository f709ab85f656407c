import { INPUT_LIMITS } from '../../card/json-limits.js';
import { readUserText } from '../../input/user-file.js';
import { parseHeaderFlags } from '../options.js';
import type { Context } from '../../context.js';
import type { Credentials } from '../../config/credentials.js';
import type { CommandContext } from '../declare.js';
import { loadCard, parseJsonWithPosition } from '../../card/load.js';
import { checkSubsetKeys, parseExpectations } from '../../callback/expect.js';
import { resolveFixtures, type Fixture } from '../../callback/fixtures.js';
import { resolveOperator, type OperatorIds } from '../../callback/operator.js';
import { parseAssignment } from '../../callback/paths.js';
import { describeSource } from '../../callback/key-trouble.js';
import type { SeedFile } from '../../emulator/seed.js';
import { replayAll, type ReplayResult } from '../../callback/replay.js';
import { CliError, usageError } from '../../output/errors.js';
import { printable } from '../../output/printable.js';

interface ReplayFlags {
  url?: string;
  ws?: boolean;
  cardFrames?: boolean;
  fromCard?: string;
  legacy?: boolean;
  encryptKey?: string;
  encrypt: boolean;
  verificationToken?: string;
  set?: string[];
  operator?: string;
  seed?: string;
  strict?: boolean;
  expect?: string[];
  expectFile?: string;
  concurrency: string;
  budget?: string;
  header?: string[];
  platform?: string;
  appKey?: string;
  secret?: string;
}

const DEFAULT_REPLAY_TIMEOUT_MS = 10_000;

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw usageError(`${flag} must be a positive whole number, not "${value}"`);
  return n;
}

export async function run(ctx: CommandContext, args: string[], flags: ReplayFlags): Promise<void> {
  if (flags.ws && flags.url) throw usageError('--ws and --url are two ways to deliver: give one (--ws sends through the emulator to your connected long-connection client)');
  if (!flags.url && !flags.ws) throw usageError('say where the handler listens: --url http://localhost:3000/webhook/card, or --ws for your bot\'s long connection to the emulator');
  if (flags.cardFrames && !flags.ws) throw usageError('--card-frames goes with --ws');
  if (!args.length && !flags.fromCard) throw usageError('name fixtures (files, directories or shipped names: card fixtures list), or derive them with --from-card card.json');
  const operator = await operatorOf(flags, ctx.cwd);
  if (flags.legacy && !flags.fromCard) throw usageError('--legacy goes with --from-card (a fixture file says its own format)');
  const concurrency = positiveInt(flags.concurrency, '--concurrency');
  const budgetMs = flags.budget ? positiveInt(flags.budget, '--budget') : undefined;
  const set = (flags.set ?? []).map((pair) => parseAssignment(pair, '--set'));
  const expectations = parseExpectations(flags.expect ?? []);
  let expectSubset: unknown;
  if (flags.expectFile) {
    const text = await readUserText(flags.expectFile, { what: 'expected answer', flag: '--expect-file', maxBytes: INPUT_LIMITS.maxFileBytes, cwd: ctx.cwd });
    expectSubset = parseJsonWithPosition(text, flags.expectFile);
    checkSubsetKeys(expectSubset, `--expect-file ${flags.expectFile}`);
  }

  const fixtures: Fixture[] = await resolveFixtures(args, ctx.cwd);
  if (flags.fromCard) {
    const { card, name } = await loadCard(flags.fromCard, ctx.stdin, ctx.cwd);
    const { fixturesFromCard } = await import('../../callback/from-card.js');
    const derived = fixturesFromCard(card, name, flags.legacy ? 'card.action.trigger_v1' : 'card.action.trigger');
    if (!derived.length) throw usageError(`${name} has no element that calls the server (buttons with a callback, selects, pickers, inputs, forms…)`);
    fixtures.push(...derived);
  }

  if (flags.platform !== undefined && flags.platform !== 'feishu' && flags.platform !== 'wps') throw usageError(`--platform must be feishu or wps, not "${flags.platform}"`);
  const creds = await ctx.credentials({ encryptKey: flags.encryptKey, verificationToken: flags.verificationToken, appId: flags.appKey, appSecret: flags.secret });
  const { keys, keySources, wps } = keysOf(creds, flags, fixtures);
  const timeoutMs = ctx.globals.timeout ? ctx.timeoutMs : DEFAULT_REPLAY_TIMEOUT_MS;
  const replayOpts = { url: flags.url ?? '', timeoutMs, budgetMs, keys, keySources, set, operator, strict: !!flags.strict, expectations, expectSubset, extraHeaders: parseHeaderFlags(flags.header), now: ctx.now };
  let results: ReplayResult[];
  if (flags.ws) {
    const { replayOverWs, wsUnsupported } = await import('../../callback/replay-ws.js');
    const unsupported = fixtures.find((f) => wsUnsupported(f));
    if (unsupported) throw usageError(`fixture ${unsupported.name}: ${wsUnsupported(unsupported)}`);
    // Through the emulator, as the app: its tenant token names the app whose clients get it.
    const client = await ctx.client();
    const { emulatorWsSender } = await import('../../ws/emulator-replay.js');
    const send = emulatorWsSender(client, flags.cardFrames ? 'card' : 'event');
    results = await replayAll(fixtures, replayOpts, concurrency, (r) => printResult(ctx, r), (f) => replayOverWs(f, { ...replayOpts, target: `ws:${client.appId}` }, send));
  } else {
    // A bot run against a local emulator gets message events whose message exists there.
    let sendable = fixtures;
    if (creds.appId && creds.appSecret && !wps) {
      const [{ withEmulatorMessages }, { resolveBaseUrl }] = await Promise.all([import('../../ws/emulator-replay.js'), import('../../feishu/base-url.js')]);
      sendable = await withEmulatorMessages(fixtures, resolveBaseUrl(creds.domain.value, `base URL (from ${creds.domain.source})`), () => ctx.client());
    }
    results = await replayAll(sendable, replayOpts, concurrency, (r) => printResult(ctx, r));
  }

  const failed = results.filter((r) => !r.ok);
  const unreachable = results.filter((r) => r.network_error);
  const encrypted = results.some((r) => r.encrypted);
  const summary = { passed: results.length - failed.length, failed: failed.length, encrypted, results };
  ctx.out.info(`\n${summary.passed} passed, ${summary.failed} failed${encrypted ? ' (encrypted)' : ''}`);
  if (unreachable.length) {
    throw new CliError('network', `${unreachable.length} of ${results.length} replays got no answer: ${unreachable[0]!.network_error!.message}`, {
      code: unreachable[0]!.network_error!.code,
      details: summary,
    });
  }
  if (failed.length) {
    throw new CliError('check', `${failed.length} of ${results.length} answers broke the platform's rules or your expectations`, {
      code: 'check_failed',
      hint: 'Each failure above names the JSON path and the rule.',
      details: summary,
    });
  }
  ctx.out.result(summary);
}

/** The seeded person the replay acts as (--operator), from --seed or the default seed. */
async function operatorOf(flags: ReplayFlags, cwd: string): Promise<OperatorIds | undefined> {
  if (!flags.operator) {
    if (flags.seed) throw usageError('--seed goes with --operator (it names the users --operator picks from)');
    return undefined;
  }
  // Seeds, --from-card and the long connection load only when asked for: a plain replay of
  // many fixtures over HTTP pays for none of them at start-up.
  const { loadDefaultSeed, loadSeedFile } = await import('../../emulator/seed.js');
  let seed: SeedFile;
  try {
    seed = flags.seed ? loadSeedFile(flags.seed, cwd) : loadDefaultSeed();
  } catch (err) {
    throw usageError(`--seed: ${(err as Error).message}`);
  }
  return resolveOperator(flags.operator, seed, flags.seed ?? 'the default seed');
}

/** The keys the deliveries are signed and encrypted with, and where each came from (to name it when a handler cannot use it). */
function keysOf(creds: Credentials, flags: ReplayFlags, fixtures: Fixture[]) {
  const wpsWanted = flags.platform === 'wps' || (flags.platform === undefined && creds.platform === 'wps') || fixtures.some((f) => f.format === 'wps_card');
  const wps = wpsWanted && creds.appId && creds.appSecret ? { appKey: creds.appId.value, secret: creds.appSecret.value } : null;
  if (flags.platform === 'wps' && !wps) throw usageError('WPS callbacks are signed with the app\'s AK and SK: give --app-key and --secret, or use a WPS profile');
  if (flags.platform === 'wps' && fixtures.some((f) => f.format !== 'wps_card')) {
    throw usageError(`--platform wps replays WPS card callbacks; ${fixtures.find((f) => f.format !== 'wps_card')!.name} is a ${fixtures.find((f) => f.format !== 'wps_card')!.format}`);
  }
  const keys = {
    encryptKey: creds.encryptKey?.value ?? null,
    verificationToken: creds.verificationToken?.value ?? null,
    plainBody: flags.encrypt === false,
    wps,
  };
  const keySources = {
    encryptKey: creds.encryptKey ? describeSource(creds.encryptKey.source, '--encrypt-key') : null,
    verificationToken: creds.verificationToken ? describeSource(creds.verificationToken.source, '--verification-token') : null,
    wps: wps && creds.appSecret ? describeSource(creds.appSecret.source, '--secret') : null,
  };
  return { keys, keySources, wps };
}

function printResult(ctx: Context, r: ReplayResult): void {
  const { out } = ctx;
  const s = out.style;
  // Names, answers and messages carry text from fixture files and the handler: never obeyed by the terminal.
  const p = (text: string) => printable(text);
  const mark = r.ok ? s.green('✓') : s.red('✗');
  if (r.network_error) {
    out.info(`${mark} ${s.bold(p(r.fixture))}  ${p(r.network_error.message)}`);
    return;
  }
  const time = r.ms! > r.budget_ms ? s.red(`${r.ms} ms`) : `${r.ms} ms`;
  const answer = r.answer === null ? '' : s.dim(p(JSON.stringify(r.answer).slice(0, 160)));
  const how = r.url.startsWith('ws:') ? (r.status === null ? 'no ack' : `ack code ${r.status} in ${time}`) : r.status === null ? `no answer after ${time}` : `HTTP ${r.status} in ${time}`;
  out.info(`${mark} ${s.bold(p(r.fixture))}  ${how}${r.encrypted ? ' (encrypted)' : ''}  ${answer}`);
  for (const x of r.problems) out.info(`    ${p(x.path)}: ${p(x.message)}`);
  for (const f of r.expectation_failures) {
    out.info(`    expected ${p(f.path)} to be ${p(JSON.stringify(f.expected))}`);
    out.info(`    ${s.red(`     but got ${f.missing ? '(nothing there)' : p(JSON.stringify(f.actual))}`)}`);
  }
  for (const n of r.notes) out.info(`    ${s.dim(`note: ${p(n)}`)}`);
}
