import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CARD_BIN, type Sandbox } from './cli.js';

/**
 * A real `card mcp` process (dist/, after `npm run build`) with the official MCP SDK's client on
 * its stdio, in the sandbox's environment. `call` returns a tool's answer with its JSON parsed.
 */
export interface Session {
  client: Client;
  /** Every tool answer's text, for the checks that nothing secret was said. */
  said: string[];
  call(name: string, args?: Record<string, unknown>): Promise<{ isError: boolean; text: string; data: any; image: Buffer | null }>;
  close(): Promise<void>;
}

export async function mcpSession(sb: Sandbox, args: string[] = ['mcp']): Promise<Session> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CARD_BIN, ...args], env: sb.envFor(), cwd: sb.dir, stderr: 'pipe' });
  const client = new Client({ name: 'card-test', version: '0.0.0' });
  await client.connect(transport);
  const said: string[] = [];
  return {
    client,
    said,
    async call(name, a = {}) {
      const r = (await client.callTool({ name, arguments: a }, undefined, { timeout: 90_000 })) as { isError?: boolean; content: Array<{ type: string; text?: string; data?: string; mimeType?: string }> };
      const text = r.content.filter((c) => c.type === 'text').map((c) => c.text!).join('\n');
      const img = r.content.find((c) => c.type === 'image');
      said.push(text);
      let data: any = null;
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
      return { isError: !!r.isError, text, data, image: img ? Buffer.from(img.data!, 'base64') : null };
    },
    close: () => client.close(),
  };
}

