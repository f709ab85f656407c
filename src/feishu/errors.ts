import { CliError } from '../output/errors.js';
import { consoleOrigin } from './base-url.js';

/** Codes that mean "who you are" or "what you may do", not "what you asked": exit 3. */
const AUTH_CODES = new Set([
  10003, 10014, 99991543, 99991661, 99991662, 99991663, 99991664, 99991665, 99991671, 99991673, 99991401, 99991672, 99991676, 99991679,
]);

const SCOPE_CODES = new Set([99991672, 99991676, 99991679]);

const HINTS: Record<number, string> = {
  230002: 'The bot is not a member of that chat. Add the bot to the chat, or create a test chat with it: card create-chat --name test --users you@corp.com',
  230013: 'The user is outside the app\'s availability range or has resigned. Widen the range in the developer console and publish a new version.',
  230006: 'Enable the bot capability in the developer console and publish a new app version.',
  230020: 'Rate limited: 5 messages a second per user or chat. Slow down and retry.',
  230025: 'The card is over 30 KB. Move long text out of the card, or split it.',
  230027: 'The app lacks permission for this message or chat.',
  230031: 'Messages older than 14 days can no longer be updated; send a new card.',
  230034: 'The receiver id does not match its type. Pass --to-type, or check the id.',
  230035: 'The bot may not send here (muted chat, or the user blocked the bot).',
  99991400: 'Rate limited by the platform. Wait for the reset time and retry.',
  99992351: 'No such open_id for this app. open_ids differ per app: look the user up with this app (card lookup-user).',
  232006: 'No such chat. Check the chat_id.',
  232011: 'The bot is not a member of that chat.',
  232043: 'Some ids are unknown, resigned or outside the app\'s availability range.',
};

/** 230099 carries the real reason in its message: `ErrCode: N; ErrPath: …; ErrMsg: …`. */
const CARD_SUB_HINTS: Record<number, string> = {
  200621: 'The card JSON does not parse. Check it with a JSON linter.',
  200861: 'JSON 2.0 cards no longer support `note` and `action`: put buttons directly in elements or columns, and use a grey `div` instead of `note`.',
  11310: 'Too many elements (a JSON 2.0 card allows 200), or the template is not visible to the app.',
  200380: 'The template does not exist or has no published version. Publish it in the card builder, or check --template-version.',
  200381: 'The template is not visible to this app. Add the app to the template\'s visible range.',
  200732: 'A template variable has the wrong type for its declaration.',
  200737: 'A template variable is in the wrong format.',
  200570: 'An image key is not valid: a card may use only keys the sending app uploaded (card upload-image FILE, or card send --upload-images with local paths in the card).',
  100290: 'A user id inside an at/person element is not valid.',
};

export interface CardBuildFailure {
  subCode: number | null;
  errPath: string | null;
  errMsg: string | null;
}

export function parseCardBuildFailure(msg: string): CardBuildFailure {
  const sub = /ErrCode:\s*(\d+)/.exec(msg);
  const path = /ErrPath:\s*([^;]*);/.exec(msg);
  const errMsg = /ErrMsg:\s*([^;]*);/.exec(msg);
  return { subCode: sub ? Number(sub[1]) : null, errPath: path?.[1]?.trim() ?? null, errMsg: errMsg?.[1]?.trim() ?? null };
}

/** Scopes from `permission_violations`, else from the `[...]` list in msg. */
export function missingScopes(body: Record<string, unknown>): string[] {
  const error = body.error as { permission_violations?: Array<{ subject?: string }> } | undefined;
  const fromViolations = (error?.permission_violations ?? []).map((v) => v.subject).filter((s): s is string => !!s);
  if (fromViolations.length) return [...new Set(fromViolations)];
  const m = /\[([^\]]+)\]/.exec(String(body.msg ?? ''));
  return m ? m[1]!.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

export interface ErrorContext {
  status: number;
  logId: string | null;
  baseUrl: string;
  appId: string;
}

/** The platform's envelope, turned into a CliError with the right exit code and a useful hint. */
export function platformError(body: Record<string, unknown>, ctx: ErrorContext): CliError {
  const code = Number(body.code);
  const msg = String(body.msg ?? 'unknown error');
  const logId = ctx.logId;
  if (SCOPE_CODES.has(code)) {
    const scopes = missingScopes(body);
    const link = `${consoleOrigin(ctx.baseUrl)}/app/${ctx.appId}/auth?q=${encodeURIComponent(scopes.join(','))}&op_from=openapi&token_type=tenant`;
    return new CliError('auth', `the app lacks a required scope${scopes.length ? `: one of ${scopes.join(', ')}` : ''}`, {
      code,
      logId,
      hint: `Grant it here, then publish a new app version:\n${link}`,
      details: { scopes, console_url: link },
    });
  }
  if (code === 230099) {
    const f = parseCardBuildFailure(msg);
    const where = f.errPath ? ` at ${f.errPath}` : '';
    return new CliError('api', `the platform could not build the card: ${f.errMsg ?? msg}${where}`, {
      code,
      logId,
      hint: [f.subCode !== null ? `Sub-code ${f.subCode}.` : null, f.subCode !== null ? CARD_SUB_HINTS[f.subCode] : null].filter(Boolean).join(' ') || null,
      details: { sub_code: f.subCode, err_path: f.errPath, platform_msg: msg },
    });
  }
  if (AUTH_CODES.has(code)) {
    return new CliError('auth', msg, { code, logId, hint: 'Check the app id and secret (card profile show says where each came from).' });
  }
  return new CliError('api', msg, { code, logId, hint: HINTS[code] ?? null, details: body.error ?? null });
}
