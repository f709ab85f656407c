import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJsonWithPosition } from '../card/load.js';
import { isObject } from '../card/inspect.js';
import { INPUT_LIMITS } from '../card/json-limits.js';
import { readUserFileSync, resolveIn } from '../input/user-file.js';
import { CliError, usageError } from '../output/errors.js';

export type CallbackFormat = 'card.action.trigger' | 'card.action.trigger_v1' | 'url_verification' | 'event' | 'wps_card' | 'url.preview.get';

export const FORMATS: readonly CallbackFormat[] = ['card.action.trigger', 'card.action.trigger_v1', 'url_verification', 'event', 'wps_card', 'url.preview.get'];

/**
 * A recorded callback. On disk: `{"_meta": {name, format, card_schema, encrypt, description}, "payload": {…}}`;
 * a bare payload (as captured anywhere else) is accepted too and its format inferred.
 */
export interface Fixture {
  name: string;
  path: string | null;
  format: CallbackFormat;
  /** Schema of the card the click came from; a card in the answer must keep it. */
  cardSchema: '1.0' | '2.0' | null;
  /** The platform sends this one encrypted: replay needs an Encrypt Key. */
  encrypt: boolean;
  description: string | null;
  payload: Record<string, unknown>;
}

export const SHIPPED_FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/callbacks/', import.meta.url));
export const SHIPPED_EVENTS_DIR = fileURLToPath(new URL('../../fixtures/events/', import.meta.url));

export function inferFormat(payload: Record<string, unknown>): CallbackFormat | null {
  if (payload.type === 'url_verification') return 'url_verification';
  if (payload.callback_name === 'xz_card') return 'wps_card';
  if (payload.schema === '2.0' && isObject(payload.header)) {
    if (payload.header.event_type === 'card.action.trigger') return 'card.action.trigger';
    // The link-preview callback travels as a card callback does, and is answered, unlike an event.
    return payload.header.event_type === 'url.preview.get' ? 'url.preview.get' : 'event';
  }
  if (isObject(payload.action) && (typeof payload.open_message_id === 'string' || typeof payload.open_id === 'string')) return 'card.action.trigger_v1';
  return null;
}

export function parseFixture(value: unknown, source: string): Fixture {
  if (!isObject(value)) throw usageError(`${source}: a callback fixture must be a JSON object`);
  if ('encrypt' in value && Object.keys(value).length === 1) {
    throw usageError(`${source}: this is an encrypted body; record it decrypted (card listen does) so it can be replayed with fresh ids`);
  }
  const wrapped = isObject(value._meta) && isObject(value.payload);
  const meta = (wrapped ? value._meta : {}) as Record<string, unknown>;
  const payload = (wrapped ? value.payload : value) as Record<string, unknown>;
  const format = (meta.format as CallbackFormat | undefined) ?? inferFormat(payload);
  if (!format || !FORMATS.includes(format)) {
    throw usageError(`${source}: cannot tell what kind of callback this is`, {
      hint: 'Expected a card.action.trigger or url.preview.get (schema 2.0), a legacy card callback (open_message_id + action), or a url_verification; or set _meta.format.',
    });
  }
  const cardSchema = meta.card_schema === '1.0' || meta.card_schema === '2.0' ? meta.card_schema : format === 'card.action.trigger_v1' ? '1.0' : null;
  const fallbackName = basename(source).replace(/\.json$/, '');
  return {
    name: typeof meta.name === 'string' ? meta.name : fallbackName,
    path: source,
    format,
    cardSchema,
    encrypt: meta.encrypt === true,
    description: typeof meta.description === 'string' ? meta.description : null,
    payload,
  };
}

/** A relative `path` starts from `cwd` (the process's working directory without one) and is named as written. */
export async function loadFixtureFile(path: string, cwd?: string): Promise<Fixture> {
  let text: string;
  try {
    // Synchronously: fixtures are small, and fs/promises would make open, stat, read and close
    // each a trip to the thread pool, for every file of a directory of them.
    text = readUserFileSync(path, { what: 'fixture', maxBytes: INPUT_LIMITS.maxFileBytes, cwd }).toString('utf8');
  } catch (err) {
    throw err instanceof CliError ? err : usageError(`cannot read fixture ${path}: ${(err as Error).message}`);
  }
  return parseFixture(parseJsonWithPosition(text, path), path);
}

async function jsonFilesIn(dir: string, cwd?: string): Promise<string[]> {
  const entries = await readdir(resolveIn(cwd, dir), { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(dir, e.name))
    .sort();
}

export async function shippedFixtures(): Promise<Fixture[]> {
  // WPS callbacks sit in their own folder, so replaying the Feishu folder needs no WPS keys.
  const files = [...(await jsonFilesIn(SHIPPED_FIXTURES_DIR)), ...(await jsonFilesIn(join(SHIPPED_FIXTURES_DIR, 'wps'))), ...(await jsonFilesIn(SHIPPED_EVENTS_DIR))];
  return Promise.all(files.map((f) => loadFixtureFile(f)));
}

/**
 * Each argument is a fixture file, a directory of them, or the name of a shipped fixture. Relative
 * paths start from `cwd` (the process's working directory without one).
 */
export async function resolveFixtures(args: string[], cwd?: string): Promise<Fixture[]> {
  const out: Fixture[] = [];
  let shipped: Fixture[] | null = null;
  for (const arg of args) {
    const info = await stat(resolveIn(cwd, arg)).catch(() => null);
    if (info?.isDirectory()) {
      const files = await jsonFilesIn(arg, cwd);
      if (!files.length) throw usageError(`directory ${arg} holds no .json fixtures`);
      out.push(...(await Promise.all(files.map((f) => loadFixtureFile(f, cwd)))));
    } else if (info) {
      // A file, or something that is not one (a FIFO…), which the reader refuses by name.
      out.push(await loadFixtureFile(arg, cwd));
    } else {
      shipped ??= await shippedFixtures();
      const found = shipped.find((f) => f.name === arg || basename(f.path ?? '') === `${arg}.json`);
      if (!found) {
        throw usageError(`no fixture file or shipped fixture named "${arg}"`, { hint: `Shipped: ${shipped.map((f) => f.name).join(', ')}` });
      }
      out.push(found);
    }
  }
  return out;
}
