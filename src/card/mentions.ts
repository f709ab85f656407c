/**
 * Mentions as a person reads them: `<at id=…></at>`, `<at user_id="…"></at>`, `<at ids=a,b></at>`,
 * `<at email=…></at>` and `<person id=…></person>` (reference/card-schema.md, markdown tags) name
 * people by id; the client shows their names. Whoever knows the people passes a {@link NameOf}.
 */

/** The name the client shows for an open_id, user_id or email; undefined for an id nobody knows. */
export type NameOf = (id: string) => string | undefined;

/** A mention's attributes are a few short ids; past this, a tag is read no further (its text is untrusted). */
const MAX_ATTRS = 1024;

/** A tag's attribute value, quoted or not; undefined when it has none. */
export function attrOf(attrs: string, key: string): string | undefined {
  // A name starts only after a non-name character, so a long run of letters is tried once, not at each of them.
  const re = /(?<![\w-])([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g;
  const bounded = attrs.slice(0, MAX_ATTRS);
  for (let m = re.exec(bounded); m; m = re.exec(bounded)) if (m[1]!.toLowerCase() === key) return m[2] ?? m[3] ?? m[4];
  return undefined;
}

/** The ids a mention's attributes name, in order: `id`, `user_id`, `open_id`, `ids` (a list) or `email`. */
export function mentionIds(attrs: string): string[] {
  const raw = attrOf(attrs, 'id') ?? attrOf(attrs, 'user_id') ?? attrOf(attrs, 'open_id') ?? attrOf(attrs, 'ids') ?? attrOf(attrs, 'email') ?? '';
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

/** What one mentioned id shows, without the `@`: `all`, the person's name, else the id as written. */
export function mentionShown(id: string, name: NameOf | undefined): string {
  if (id === 'all') return 'all';
  return name?.(id) ?? id;
}

/**
 * Plain text with each mention as `@Name` (unknown ids as they are; a mention with text inside and
 * one unknown id keeps that text, as a text message's `<at user_id="…">Tom</at>` does). The result
 * is text, not markup: escape it where it is drawn.
 */
export function mentionsByName(text: string, name: NameOf | undefined): string {
  // Neither part crosses a '<', so each tag is scanned once: linear in the text, whatever it holds.
  return text.replace(/<(at|person)\b([^<>]*)>([^<]*)<\/\1>/gi, (_whole, _tag: string, attrs: string, inner: string) => {
    const ids = mentionIds(attrs);
    const written = inner.trim();
    if (!ids.length) return written ? `@${written.replace(/^@/, '')}` : '@';
    return ids.map((id) => (id !== 'all' && ids.length === 1 && written && name?.(id) === undefined ? `@${written.replace(/^@/, '')}` : `@${mentionShown(id, name)}`)).join(' ');
  });
}

/** Names for the people an emulator knows: its users by open_id, user_id and email, its bots by open_id and app id. */
export function namesFrom(users: Iterable<{ open_id: string; user_id?: string | null; email?: string | null; name: string }>, bots: Iterable<{ bot_open_id: string; app_id: string; name: string }> = []): NameOf {
  const names = peopleNames(users, bots);
  return (id) => names.get(id);
}

/** The same names as a map, for {@link namesFrom} and for whoever takes a table of people. */
export function peopleNames(users: Iterable<{ open_id: string; user_id?: string | null; email?: string | null; name: string }>, bots: Iterable<{ bot_open_id: string; app_id: string; name: string }> = []): Map<string, string> {
  const names = new Map<string, string>();
  for (const a of bots) {
    names.set(a.bot_open_id, a.name);
    names.set(a.app_id, a.name);
  }
  for (const u of users) {
    names.set(u.open_id, u.name);
    if (u.user_id) names.set(u.user_id, u.name);
    if (u.email) names.set(u.email, u.name);
  }
  return names;
}
