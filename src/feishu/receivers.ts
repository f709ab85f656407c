import { CliError, usageError } from '../output/errors.js';
import { batchGetUserIds } from './api.js';
import type { FeishuClient } from './client.js';
import { isReceiveIdType, type ReceiveIdType } from './receive-id-type.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MOBILE = /^\+?[0-9][0-9 -]{5,18}[0-9]$/;

/** The endpoint takes 50 emails and 50 mobiles per call. */
const LOOKUP_BATCH = 50;

/**
 * The receive_id_type a receiver's text shows (DESIGN.md), or 'mobile', which the platform takes
 * only once looked up; null when it shows none we know (a user_id needs --to-type).
 */
export function receiveIdTypeOf(input: string): ReceiveIdType | 'mobile' | null {
  if (/^ou_\w+$/.test(input)) return 'open_id';
  if (/^on_\w+$/.test(input)) return 'union_id';
  if (/^oc_\w+$/.test(input)) return 'chat_id';
  if (EMAIL.test(input)) return 'email';
  if (MOBILE.test(input)) return 'mobile';
  return null;
}

export interface Receiver {
  /** What the user typed. */
  input: string;
  receiveIdType: ReceiveIdType;
  receiveId: string;
}

/** A receiver before any lookup: how it is addressed, and whether batch_get_id must turn it into an open_id first. */
export interface PlannedReceiver {
  input: string;
  receiveIdType: ReceiveIdType | 'mobile';
  lookup: boolean;
}

/**
 * How a receiver will be addressed: by the type given for it (--to-type, a to_type column), else
 * by its shape. Mobiles are always looked up; emails when `lookupEmails` says so. Null when the
 * receiver has no known shape and no type was given.
 */
export function planReceiver(input: string, given: ReceiveIdType | null | undefined, lookupEmails: boolean): PlannedReceiver | null {
  const receiveIdType = given ?? receiveIdTypeOf(input);
  if (!receiveIdType) return null;
  return { input, receiveIdType, lookup: receiveIdType === 'mobile' || (receiveIdType === 'email' && lookupEmails) };
}

/** open_ids for the planned receivers that need a lookup, each asked once, in batches; whoever is missing has no entry. */
export async function lookupOpenIds(client: FeishuClient, planned: PlannedReceiver[]): Promise<Map<string, string>> {
  const wanted = new Map<string, 'email' | 'mobile'>();
  for (const p of planned) if (p.lookup) wanted.set(p.input, p.receiveIdType === 'mobile' ? 'mobile' : 'email');
  const emails = [...wanted].filter(([, kind]) => kind === 'email').map(([input]) => input);
  const mobiles = [...wanted].filter(([, kind]) => kind === 'mobile').map(([input]) => input);
  const found = new Map<string, string>();
  for (let i = 0; i < Math.max(emails.length, mobiles.length); i += LOOKUP_BATCH) {
    const entries = await batchGetUserIds(client, { emails: emails.slice(i, i + LOOKUP_BATCH), mobiles: mobiles.slice(i, i + LOOKUP_BATCH) });
    for (const e of entries) if (e.user_id) found.set((e.email ?? e.mobile)!, e.user_id);
  }
  return found;
}

/** The receiver to send to, once lookups are done; null when the lookup found nobody. */
export function settleReceiver(p: PlannedReceiver, found: Map<string, string>): Receiver | null {
  if (!p.lookup) return { input: p.input, receiveIdType: p.receiveIdType as ReceiveIdType, receiveId: p.input };
  const id = found.get(p.input);
  return id ? { input: p.input, receiveIdType: 'open_id', receiveId: id } : null;
}

/** An unknown person stops the whole command, before anything is sent or made. */
export function receiversNotFound(missing: string[], code: string, hint: string): CliError {
  return new CliError('api', `no user found for ${missing.map((m) => `"${m}"`).join(', ')}`, { code, hint, details: { missing } });
}

/**
 * Turns every `--to` into a receive_id_type and id before anything is sent. Mobiles always go
 * through batch_get_id; emails do too when there is more than one receiver, so that an unknown
 * address stops the whole send instead of half of it.
 */
export async function resolveReceivers(inputs: string[], opts: { receiveIdType?: ReceiveIdType; client: () => Promise<FeishuClient> }): Promise<Receiver[]> {
  const planned = inputs.map((input) => {
    const p = planReceiver(input, opts.receiveIdType, inputs.length > 1);
    if (!p) {
      throw usageError(`receiver "${input}" is not an open_id (ou_…), union_id (on_…), chat_id (oc_…), email or mobile number`, {
        hint: 'For a user_id or another id, say which it is: --to-type user_id',
      });
    }
    return p;
  });
  const found = planned.some((p) => p.lookup) ? await lookupOpenIds(await opts.client(), planned) : new Map<string, string>();
  const missing = planned.filter((p) => !settleReceiver(p, found)).map((p) => p.input);
  if (missing.length) {
    throw receiversNotFound(missing, 'receiver_not_found', 'Nothing was sent. The address or number is unknown, resigned, or outside the app\'s availability range (mobiles outside mainland China need +country code).');
  }
  return planned.map((p) => settleReceiver(p, found)!);
}

/** A row of a receiver file, as far as its receiver goes. */
interface ReceiverRowLike {
  line: number;
  to: string;
  receiveIdType: string | null;
}

/** Every row of a receiver file is checked before anything is sent: a known to_type, or a receiver of a known shape. */
export function checkReceiverRows(rows: ReceiverRowLike[], name: string): void {
  const bad = rows.filter((r) => (r.receiveIdType ? !isReceiveIdType(r.receiveIdType) : !receiveIdTypeOf(r.to)));
  if (bad.length) {
    const list = bad.slice(0, 5).map((r) => `line ${r.line} "${r.to}"${r.receiveIdType ? ` (to_type ${r.receiveIdType})` : ''}`).join(', ');
    throw usageError(`${name}: ${bad.length} receiver${bad.length === 1 ? '' : 's'} of no known shape: ${list}${bad.length > 5 ? ', …' : ''}`, {
      hint: 'Nothing was sent. Use open_ids (ou_), union_ids (on_), chat_ids (oc_), emails or mobiles, or a to_type column.',
    });
  }
}

/** A checked row's plan: a to_type column names the type (emails are then sent as emails), else the shape does and emails are looked up. */
export function planRow(row: ReceiverRowLike): PlannedReceiver {
  return planReceiver(row.to, row.receiveIdType as ReceiveIdType | null, !row.receiveIdType)!;
}
