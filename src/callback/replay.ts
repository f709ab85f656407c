import { header, send } from '../http/request.js';
import { CliError } from '../output/errors.js';
import { defaultBudgetMs, type Problem } from './check-answer.js';
import type { Expectation, ExpectationFailure } from './expect.js';
import { judgeAnswer } from './judge.js';
import { keyTrouble, type KeySources } from './key-trouble.js';
import type { Fixture } from './fixtures.js';
import { prepareRequest, type PrepareOptions } from './prepare.js';
import { redactCallback, redactDeep } from './redact.js';

export interface ReplayOptions extends PrepareOptions {
  url: string;
  /** Abort after this long (ms); the budget check is separate. */
  timeoutMs: number;
  /** Override of the platform's budget (3000 ms, 1000 ms for url_verification). */
  budgetMs?: number;
  expectations?: Expectation[];
  expectSubset?: unknown;
  extraHeaders?: Record<string, string>;
  /** Fail empty answers too (see checkAnswer). */
  strict?: boolean;
  /** Where the keys came from, named when the handler seems unable to use them. */
  keySources?: KeySources;
  /** Told the status and body as they came back, before judging (the emulator's delivery log keeps them). */
  onAnswer?: (status: number, body: string) => void;
}

export interface ReplayResult {
  fixture: string;
  format: Fixture['format'];
  url: string;
  encrypted: boolean;
  /** null when the handler could not be reached. */
  status: number | null;
  ms: number | null;
  budget_ms: number;
  ok: boolean;
  /** Set when the handler was down or too slow to answer at all. */
  network_error: { code: string; message: string } | null;
  problems: Problem[];
  expectation_failures: ExpectationFailure[];
  notes: string[];
  answer: unknown;
  /** What was sent, for the record (the payload before encryption, keys and tokens redacted). */
  sent: { headers: Record<string, string>; payload: Record<string, unknown> };
}

function networkFailure(err: unknown, url: string, timeoutMs: number): { code: string; message: string } {
  // The HTTP layer has already named the failure (ECONNREFUSED, timeout, …); say it for a handler.
  const code = String((err as CliError).code ?? 'network');
  if (code === 'timeout') return { code, message: `no answer from ${url} within ${timeoutMs} ms` };
  if (code === 'ECONNREFUSED') return { code, message: `nothing is listening at ${url}: is the handler running?` };
  return { code, message: `cannot reach ${url}: ${(err as Error).message}` };
}

/** Sends one fixture the way the platform would and checks what comes back. */
export async function replayOne(fixture: Fixture, opts: ReplayOptions): Promise<ReplayResult> {
  const prepared = prepareRequest(fixture, { ...opts, url: opts.url });
  const secrets = [opts.keys.encryptKey, opts.keys.verificationToken, opts.keys.wps?.secret];
  const budgetMs = opts.budgetMs ?? defaultBudgetMs(fixture);
  const base = {
    fixture: fixture.name,
    format: fixture.format,
    url: opts.url,
    encrypted: prepared.encrypted,
    budget_ms: budgetMs,
    // For the record, never with the keys: the token the payload carries is hidden.
    sent: { headers: prepared.headers, payload: redactCallback(prepared.payload, secrets) },
  };
  const started = performance.now();
  let status: number;
  let location: string | null;
  let bodyText: string;
  try {
    // Plain http anywhere: a handler gets signed callbacks, never a credential.
    const res = await send({ method: 'POST', url: opts.url, headers: { ...prepared.headers, ...opts.extraHeaders }, body: prepared.body, timeoutMs: opts.timeoutMs, plainHttp: 'any' });
    status = res.status;
    location = header(res.headers, 'location');
    bodyText = res.body.toString('utf8');
    opts.onAnswer?.(status, bodyText);
  } catch (err) {
    const failure = networkFailure(err, opts.url, opts.timeoutMs);
    // A reset on a fresh connection, after the whole request went out, is the handler giving up
    // on it (a Node server whose handler threw), not the network: judged as a failed check.
    const cause = (err as { cause?: { reused?: boolean } }).cause;
    const dropped = (failure.code === 'ECONNRESET' || failure.code === 'EPIPE') && !cause?.reused;
    const trouble = dropped ? keyTrouble(fixture, prepared, opts.keys, opts.keySources, 'closed the connection without answering') : null;
    if (trouble) {
      return redactDeep({
        ...base,
        status: null,
        ms: Math.round(performance.now() - started),
        ok: false,
        network_error: null,
        problems: [{ path: '$', message: `no answer (${failure.code}): ${trouble}` }],
        expectation_failures: [],
        notes: [],
        answer: null,
      }, secrets);
    }
    return {
      ...base,
      status: null,
      ms: null,
      ok: false,
      network_error: failure,
      problems: [],
      expectation_failures: [],
      notes: [],
      answer: null,
    };
  }
  const ms = Math.round(performance.now() - started);
  const judged = await judgeAnswer(fixture, { status, location, bodyText, ms, budgetMs, challenge: prepared.challenge, strict: opts.strict }, opts);
  if (status === 500) {
    const trouble = keyTrouble(fixture, prepared, opts.keys, opts.keySources, 'answered HTTP 500');
    if (trouble) judged.notes.push(trouble);
  }
  // Judged on what was answered; printed and recorded with the keys hidden, as the sent payload is.
  return redactDeep({ ...base, status, ms, network_error: null, ...judged }, secrets);
}

/** Replays fixtures with at most `concurrency` in flight; results keep the fixtures' order. */
export async function replayAll(
  fixtures: Fixture[],
  opts: ReplayOptions,
  concurrency: number,
  onResult?: (r: ReplayResult) => void,
  /** Another way to send one fixture (the long connection); default: POST to opts.url. */
  one: (f: Fixture) => Promise<ReplayResult> = (f) => replayOne(f, opts),
): Promise<ReplayResult[]> {
  if ((opts.url && !/^https?:\/\//.test(opts.url))) throw new CliError('usage', `--url must be an http(s) URL, not "${opts.url}"`);
  const results: ReplayResult[] = new Array(fixtures.length);
  let next = 0;
  const worker = async () => {
    while (next < fixtures.length) {
      const i = next++;
      results[i] = await one(fixtures[i]!);
      onResult?.(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, fixtures.length)) }, worker));
  return results;
}
