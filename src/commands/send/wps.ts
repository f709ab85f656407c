import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import type { CardSource } from '../../card/source.js';
import type { Credentials } from '../../config/credentials.js';
import { usageError } from '../../output/errors.js';
import { plural } from '../../output/words.js';
import { WpsClient, wpsSettings } from '../../wps/client.js';

export interface WpsSendFlags {
  toUsers?: string[];
  toDepts?: string[];
  toCompanies?: string[];
  bizType?: string;
  ctxId?: string;
  utype?: string;
  companyUid?: string;
}

/** `company_id:a,b` → {company_id, [a, b]}. */
function companyList(value: string, flag: string): { companyId: string; ids: string[] } {
  const i = value.indexOf(':');
  const ids = value.slice(i + 1).split(',').map((x) => x.trim()).filter(Boolean);
  if (i <= 0 || !ids.length) throw usageError(`${flag} "${value}" must be company_id:id,id`);
  return { companyId: value.slice(0, i), ids };
}

/** A WPS 协作 card message (msg_type 23) to users, departments or companies. */
export async function runWpsSend(ctx: Context, source: CardSource, flags: WpsSendFlags, creds: Credentials): Promise<void> {
  if (source.kind !== 'inline') throw usageError('WPS card messages are inline cards: templates are a Feishu feature');
  const targets: Record<string, unknown> = {};
  const users = (flags.toUsers ?? []).map((v) => companyList(v, '--to-users'));
  const depts = (flags.toDepts ?? []).map((v) => companyList(v, '--to-depts'));
  const companies = (flags.toCompanies ?? []).flatMap((v) => v.split(',')).map((c) => c.trim()).filter(Boolean);
  const kinds = [users.length, depts.length, companies.length].filter(Boolean).length;
  if (kinds !== 1) throw usageError('say who gets it with exactly one of --to-users company_id:uid,uid, --to-depts company_id:dept,dept or --to-companies id');
  if (users.length > 1 || depts.length > 1 || new Set([...users, ...depts].map((x) => x.companyId)).size > 1) {
    throw usageError('all receivers of one WPS message are in one company: give --to-users (or --to-depts) once');
  }
  if (users[0]) targets.to_users = { company_id: users[0].companyId, company_uids: users[0].ids };
  if (depts[0]) targets.to_depts = { company_id: depts[0].companyId, dept_ids: depts[0].ids };
  if (companies.length) targets.to_companies = companies.length === 1 ? companies[0] : companies;
  const utype = flags.utype === undefined ? (flags.ctxId ? 1 : 0) : Number(flags.utype);
  if (utype !== 0 && utype !== 1) throw usageError(`--utype is 0 (will not be updated) or 1 (will be updated), not "${flags.utype}"`);
  // An updatable card needs a ctx_id (at most 36 characters, never reused): made here when not given.
  const ctxId = flags.ctxId ?? (utype === 1 ? randomUUID() : undefined);
  if (ctxId && ctxId.length > 36) throw usageError('--ctx-id may be at most 36 characters');
  const settings = wpsSettings(ctx, creds);
  const companyId = users[0]?.companyId ?? depts[0]?.companyId ?? companies[0];
  const body: Record<string, unknown> = {
    ...targets,
    app_key: settings.appKey,
    ...(flags.bizType ? { biz_type: flags.bizType } : {}),
    ...(ctxId ? { ctx_id: ctxId, company_id: companyId, ...(flags.companyUid ? { company_uid: flags.companyUid } : {}) } : {}),
    utype,
    msg_type: 23,
    content: { type: 23, content: source.card },
  };
  const client = new WpsClient(settings, ctx);
  const { message_id } = await client.sendMessage(body);
  ctx.out.print([message_id || '(held for review)', ctxId ?? ''].join('\t'));
  const whom = users[0]
    ? `${plural(users[0].ids.length, 'user')} of company ${users[0].companyId}`
    : depts[0]
      ? `${plural(depts[0].ids.length, 'department')} of company ${depts[0].companyId}`
      : companies.length === 1
        ? `everyone in company ${companies[0]}`
        : `everyone in ${plural(companies.length, 'company', 'companies')} (${companies.join(', ')})`;
  ctx.out.success(`Sent ${source.label} on WPS to ${whom}${ctxId ? ` (ctx_id ${ctxId})` : ''}`);
  if (!message_id) ctx.out.warn('WPS returned an empty message_id: the message is held for content review');
  ctx.out.result({ platform: 'wps', message_id, ctx_id: ctxId ?? null, utype, card: source.label });
}
