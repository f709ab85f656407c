import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

const PACKAGE = new URL('../../', import.meta.url);

/** A shipped file offered as a resource: read when asked for, never changed. */
interface Shipped {
  name: string;
  uri: string;
  file: URL;
  title: string;
  description: string;
  mimeType: string;
}

function shipped(): Shipped[] {
  const list: Shipped[] = [];
  for (const v of ['2.0', '1.0']) {
    list.push({
      name: `card-schema-${v}`,
      uri: `card://schemas/card-v${v}.json`,
      file: new URL(`schemas/card-v${v}.json`, PACKAGE),
      title: `Card JSON ${v} schema`,
      description: `JSON Schema of a Feishu/Lark card in JSON ${v}: every component and field, with descriptions. Cross-field rules are lint_card's.`,
      mimeType: 'application/schema+json',
    });
  }
  // The sample cards card ships are the reference of how a working card is written.
  const cards = new URL('fixtures/cards/', PACKAGE);
  for (const f of readdirSync(fileURLToPath(cards)).filter((n) => n.endsWith('.json')).sort()) {
    list.push({
      name: `card-example-${f.replace(/\.json$/, '')}`,
      uri: `card://examples/${f}`,
      file: new URL(f, cards),
      title: `Example card: ${f}`,
      description: 'A card that passes lint, as a reference for writing one (approval buttons, forms, WPS).',
      mimeType: 'application/json',
    });
  }
  list.push({
    name: 'agent-guide',
    uri: 'card://guide/SKILL.md',
    file: new URL('skills/card/SKILL.md', PACKAGE),
    title: 'Using card as a coding agent',
    description: 'The loop: write the bot, start the emulator, send, look, click, read the answer, fix.',
    mimeType: 'text/markdown',
  });
  return list;
}

export function registerResources(server: McpServer): void {
  for (const r of shipped()) {
    server.registerResource(r.name, r.uri, { title: r.title, description: r.description, mimeType: r.mimeType }, async (uri) => ({
      contents: [{ uri: uri.href, mimeType: r.mimeType, text: await readFile(r.file, 'utf8') }],
    }));
  }
}
