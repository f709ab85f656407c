import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { redactDeep, redactText } from '../callback/redact.js';
import { CliError } from '../output/errors.js';
import { TestEmulatorError } from '../testing/emulator.js';

/**
 * How every tool answers: a JSON document as text (agents read it; the structure is the same one
 * `--json` prints), an optional image, and errors as tool errors whose text names what is wrong.
 * Every answer passes through the secret list first, so a key in use never reaches the agent,
 * whichever tool or error quoted it.
 */

/** Keys and secrets in use this session (a profile's, for real sends): hidden in every answer. */
export class SecretList {
  private readonly list = new Set<string>();

  add(...values: Array<string | null | undefined>): void {
    for (const v of values) if (typeof v === 'string' && v.length) this.list.add(v);
  }

  values(): string[] {
    return [...this.list];
  }
}

export interface ToolAnswer {
  data: unknown;
  /** A PNG to show beside the data. */
  png?: Buffer;
  /** The data is a verdict against the bot (an answer that breaks the rules): shown as a tool error. */
  failed?: boolean;
}

/** Raised by a tool for input the schema could not judge (an unknown message, a card that does not parse). */
export class ToolInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export function answer(a: ToolAnswer, secrets: SecretList): CallToolResult {
  const content: CallToolResult['content'] = [{ type: 'text', text: JSON.stringify(redactDeep(a.data, secrets.values()), null, 2) }];
  if (a.png) content.push({ type: 'image', data: a.png.toString('base64'), mimeType: 'image/png' });
  return a.failed ? { content, isError: true } : { content };
}

/** An error as a tool error: its message and hint, never a stack trace, secrets hidden. */
export function failure(err: unknown, secrets: SecretList): CallToolResult {
  const e = err as Error;
  const known = err instanceof CliError || err instanceof ToolInputError || err instanceof TestEmulatorError;
  const hint = err instanceof CliError && err.hint ? `\n${err.hint}` : '';
  const text = known ? `${e.message}${hint}` : `internal error in card: ${e?.message ?? String(err)}`;
  return { content: [{ type: 'text', text: redactText(text, secrets.values()) }], isError: true };
}

/** Wraps a tool's handler: its answer or its error, both through the secret list. */
export function tool<A>(secrets: SecretList, handler: (args: A) => Promise<ToolAnswer>): (args: A) => Promise<CallToolResult> {
  return async (args: A) => {
    try {
      return answer(await handler(args), secrets);
    } catch (err) {
      return failure(err, secrets);
    }
  };
}
