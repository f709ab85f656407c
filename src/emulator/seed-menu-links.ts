/**
 * An app's bot menu (机器人自定义菜单) and its link-preview URL rules (链接预览), as a seed gives
 * them, checked like the rest of the seed, naming the JSON path of the first thing wrong.
 */

/** One item of a bot menu: a leaf sends `application.bot.menu_v6` with its event_key; a parent opens its children. */
export interface SeedBotMenuItem {
  name: string;
  /** The key the event carries (1-30 characters, the event's rule); a parent with children has none. */
  event_key?: string;
  children?: SeedBotMenuItem[];
}

/** A URL rule: a URL with `*` standing for any run of characters, e.g. `https://example.com/orders/*`. */
export interface SeedUrlPreviewRule {
  pattern: string;
}

type Fail = (path: string, what: string) => never;
type Obj = Record<string, unknown>;

/**
 * The console's menu holds at most 3 top-level items of at most 5 children each; names are short
 * labels. The docs give the event_key's length (1-30); the rest is what the console lets one type.
 */
export const MENU_LIMITS = { top: 3, children: 5, name: 40, eventKey: 30 } as const;
export const URL_RULE_LIMITS = { rules: 20, pattern: 1024 } as const;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkItems(items: unknown, at: string, depth: number, keys: Set<string>, fail: Fail): void {
  const max = depth === 0 ? MENU_LIMITS.top : MENU_LIMITS.children;
  if (!Array.isArray(items) || items.length === 0 || items.length > max) fail(at, `must be an array of 1 to ${max} menu items`);
  (items as unknown[]).forEach((item, i) => {
    const here = `${at}[${i}]`;
    if (!isObj(item)) return fail(here, 'must be an object {name, event_key} or {name, children}');
    for (const k of Object.keys(item)) if (k !== 'name' && k !== 'event_key' && k !== 'children') fail(`${here}.${k}`, 'is not a part of a menu item (name, event_key, children)');
    if (typeof item.name !== 'string' || !item.name.trim() || item.name.length > MENU_LIMITS.name) fail(`${here}.name`, `must be a non-empty string of at most ${MENU_LIMITS.name} characters`);
    if (item.children !== undefined) {
      if (depth > 0) fail(`${here}.children`, 'a menu has two levels: a child item cannot have children');
      if (item.event_key !== undefined) fail(`${here}.event_key`, 'an item with children opens them and sends no event: remove event_key or children');
      checkItems(item.children, `${here}.children`, depth + 1, keys, fail);
      return;
    }
    const key = item.event_key;
    if (typeof key !== 'string' || key.length < 1 || key.length > MENU_LIMITS.eventKey) fail(`${here}.event_key`, `must be a string of 1 to ${MENU_LIMITS.eventKey} characters (the event's rule)`);
    if (keys.has(key as string)) fail(`${here}.event_key`, `repeats ${JSON.stringify(key)}: each item's key tells the bot which was pressed`);
    keys.add(key as string);
  });
}

/**
 * Whether a link matches a URL rule: `*` is any run of characters, but within the host it stays
 * within the host (`https://*.example.com/…` never matches another site's path); matched without
 * case. A rule is data from a seed, so it is not turned into a regular expression (a rule with many
 * `*` would backtrack exponentially on a long link): one pass over the rule's parts keeps the set
 * of link positions reached, at most (rule length × link length) steps.
 */
export function ruleMatches(pattern: string, url: string): boolean {
  const origin = /^https?:\/\/[^/]*/i.exec(pattern)?.[0] ?? '';
  // 'h' is a host star, 'a' any star; otherwise one character compared without case.
  const parts: Array<{ star: 'h' | 'a' } | { ch: string }> = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c !== '*') parts.push({ ch: c.toLowerCase() });
    else parts.push({ star: i < origin.length ? 'h' : 'a' });
  }
  const text = url.toLowerCase();
  const n = text.length;
  let reached = new Uint8Array(n + 1);
  reached[0] = 1;
  for (const part of parts) {
    const next = new Uint8Array(n + 1);
    let any = false;
    if ('star' in part) {
      // From each reached position, a star reaches every later one it may cover.
      let on = false;
      for (let j = 0; j <= n; j++) {
        if (reached[j]) on = true;
        else if (on && part.star === 'h' && '/?#'.includes(text[j - 1]!)) on = false;
        if (on) {
          next[j] = 1;
          any = true;
        }
      }
    } else {
      for (let j = 0; j < n; j++) {
        if (reached[j] && text[j] === part.ch) {
          next[j + 1] = 1;
          any = true;
        }
      }
    }
    if (!any) return false;
    reached = next;
  }
  return reached[n] === 1;
}

const RULE_SHAPE = /^https?:\/\/[^\s/]+(\/\S*)?$/i;

/** Each app's `bot_menu` and `url_previews`. */
export function checkMenuLinks(apps: unknown[], fail: Fail): void {
  apps.forEach((a, i) => {
    if (!isObj(a)) return;
    if (a.bot_menu !== undefined) checkItems(a.bot_menu, `$.apps[${i}].bot_menu`, 0, new Set(), fail);
    if (a.url_previews === undefined) return;
    const at = `$.apps[${i}].url_previews`;
    if (!Array.isArray(a.url_previews) || a.url_previews.length > URL_RULE_LIMITS.rules) fail(at, `must be an array of at most ${URL_RULE_LIMITS.rules} URL rules`);
    (a.url_previews as unknown[]).forEach((r, j) => {
      const here = `${at}[${j}]`;
      if (!isObj(r)) return fail(here, 'must be an object {pattern}');
      for (const k of Object.keys(r)) if (k !== 'pattern') fail(`${here}.${k}`, 'is not a part of a URL rule (pattern)');
      const p = r.pattern;
      if (typeof p !== 'string' || p.length > URL_RULE_LIMITS.pattern || !RULE_SHAPE.test(p)) {
        fail(`${here}.pattern`, `must be an http(s) URL of at most ${URL_RULE_LIMITS.pattern} characters, with * for any run of characters (e.g. "https://example.com/orders/*")`);
      }
    });
  });
}

/** Every event_key of a menu, leaves only, in menu order. */
export function menuKeys(items: readonly SeedBotMenuItem[]): string[] {
  return items.flatMap((i) => (i.children ? menuKeys(i.children) : i.event_key ? [i.event_key] : []));
}

/** Why an app's menu has no item with this key (a person sees only the menu's items), or null. */
export function menuKeyProblem(app: { name: string; bot_menu: readonly SeedBotMenuItem[] }, eventKey: string): string | null {
  const keys = menuKeys(app.bot_menu);
  if (keys.includes(eventKey)) return null;
  return keys.length ? `${app.name}'s bot menu has no item with event_key ${JSON.stringify(eventKey)}; its keys: ${keys.join(', ')}` : `${app.name} has no bot menu (seed: apps[].bot_menu)`;
}
