import { readFile } from 'node:fs/promises';
import type { Context } from '../context.js';
import { resolveFixtures, shippedFixtures } from '../callback/fixtures.js';
import { table } from '../output/format.js';

export async function list(ctx: Context): Promise<void> {
  const fixtures = await shippedFixtures();
  ctx.out.print(table(fixtures.map((f) => [f.name, f.format + (f.encrypt ? ' (encrypted)' : ''), f.description ?? '']), !!ctx.out.stdout.isTTY));
  ctx.out.result({
    fixtures: fixtures.map((f) => ({ name: f.name, format: f.format, card_schema: f.cardSchema, encrypt: f.encrypt, description: f.description, path: f.path })),
  });
}

export async function show(ctx: Context, name: string): Promise<void> {
  const [fixture] = await resolveFixtures([name]);
  const text = await readFile(fixture!.path!, 'utf8');
  ctx.out.print(text);
  ctx.out.result({ name: fixture!.name, format: fixture!.format, path: fixture!.path, fixture: JSON.parse(text) });
}
