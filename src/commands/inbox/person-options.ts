import { commander } from '../declare.js';

/**
 * The typed values of `card inbox`'s person actions, checked as commander reads them: a bad one is
 * a usage error (exit 2) naming the flag or argument before anything reaches the emulator.
 */

const invalid = (why: string) => new commander.InvalidArgumentError(why);

/** A platform emoji key: letters, digits and underscores (THUMBSUP, Fire, OK …); the emulator knows which exist. */
export function emojiType(value: string): string {
  if (!/^[A-Za-z][\w]{0,63}$/.test(value)) throw invalid('It is an emoji key such as THUMBSUP, DONE or SMILE.');
  return value;
}

export function chatId(value: string): string {
  if (!/^oc_[\w-]{1,120}$/.test(value)) throw invalid('It is a chat id (oc_…).');
  return value;
}

/** `om_a,om_b`: the messages to merge, in order. */
export function messageIds(value: string): string[] {
  const ids = value.split(',').map((v) => v.trim()).filter(Boolean);
  const bad = ids.find((id) => !/^om_[\w-]{1,120}$/.test(id));
  if (!ids.length || bad !== undefined) throw invalid(`It is message ids (om_…) separated by commas${bad === undefined ? '' : `; ${JSON.stringify(bad.slice(0, 40))} is not one`}.`);
  return ids;
}

/** `"name,latitude,longitude"`: the name may hold commas; the last two parts are the degrees. */
export function locationValue(value: string): { name: string; latitude: number; longitude: number } {
  const parts = value.split(',');
  const why = 'It is "name,latitude,longitude", e.g. "Sunny Cafe,31.2304,121.4737".';
  if (parts.length < 3) throw invalid(why);
  const longitude = Number(parts.pop()!.trim());
  const latitude = Number(parts.pop()!.trim());
  const name = parts.join(',').trim();
  if (!name || !Number.isFinite(latitude) || !Number.isFinite(longitude)) throw invalid(why);
  if (Math.abs(latitude) > 90) throw invalid('The latitude is from -90 to 90 degrees.');
  if (Math.abs(longitude) > 180) throw invalid('The longitude is from -180 to 180 degrees.');
  return { name, latitude, longitude };
}

/** An http(s) link as a person pastes it (the emulator bounds its length). */
export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('It is an http(s) link, e.g. https://example.com/orders/7.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('It is an http(s) link.');
  return value;
}
