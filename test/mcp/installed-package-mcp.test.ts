import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { installedPackage } from '../helpers/installed-package.js';

/** `card mcp` from the packed package in a bot project: its SDK is there, and so is the skill it ships. */
let project: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  ({ project, env } = await installedPackage());
}, 300_000);

describe('card mcp from the installed package', () => {
  it('serves its tools, and reads the shipped skill and schemas as resources', { timeout: 60_000 }, async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [join(project, 'node_modules/.bin/card'), 'mcp'], env: env as Record<string, string>, cwd: project, stderr: 'pipe' });
    const client = new Client({ name: 'card-test', version: '0.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.length).toBe(22);
      const skill = await client.readResource({ uri: 'card://guide/SKILL.md' });
      expect((skill.contents[0] as { text: string }).text).toMatch(/^---\nname: card\ndescription: /);
      const schema = await client.readResource({ uri: 'card://schemas/card-v1.0.json' });
      expect(JSON.parse((schema.contents[0] as { text: string }).text).title).toContain('1.0');
    } finally {
      await client.close();
    }
  });
});
