import type { Readable } from 'node:stream';
import { usageError } from '../output/errors.js';
import { CARD_LIMITS, cardSchemaOf, findRemovedV2Tags, isSharedCard, type CardObject } from './inspect.js';
import { loadCard, loadVarsFile, parseVarFlags } from './load.js';

export interface CardSourceFlags {
  template?: string;
  templateVersion?: string;
  var?: string[];
  vars?: string;
}

export interface CardSource {
  /** The `content` string sent to the platform. */
  content: string;
  /** The object behind it: an inline card or a template reference. */
  card: CardObject;
  kind: 'inline' | 'template';
  /** Where it came from, for messages: a path, <stdin>, or template:ID. */
  label: string;
}

/**
 * The card a send or update carries: a JSON file, stdin, or a published template with
 * variables. Checks what can be known locally, so a bad card stops before any request.
 */
export async function cardFromFlags(file: string | undefined, flags: CardSourceFlags, stdin: Readable): Promise<CardSource> {
  if (flags.template) {
    if (file) throw usageError(`give a card file or --template, not both (got ${file} and --template ${flags.template})`);
    const variables = { ...(flags.vars ? await loadVarsFile(flags.vars, stdin) : {}), ...parseVarFlags(flags.var ?? []) };
    const data: Record<string, unknown> = { template_id: flags.template };
    if (flags.templateVersion) data.template_version_name = flags.templateVersion;
    data.template_variable = variables;
    const card = { type: 'template', data };
    return { content: JSON.stringify(card), card, kind: 'template', label: `template:${flags.template}` };
  }
  if (flags.var?.length || flags.vars || flags.templateVersion) {
    throw usageError('--var, --vars and --template-version go with --template');
  }
  if (!file) throw usageError('no card given: pass a card JSON file, - to read stdin, or --template ID');
  const { card, name } = await loadCard(file, stdin);
  const content = JSON.stringify(card);
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > CARD_LIMITS.maxContentBytes) {
    throw usageError(`${name}: the card is ${bytes} bytes compacted; a card message may be at most ${CARD_LIMITS.maxContentBytes} bytes (30 KB)`, {
      hint: 'Nothing was sent. Move long text out of the card or split it into several cards.',
    });
  }
  if (cardSchemaOf(card) === '2.0') {
    const removed = findRemovedV2Tags(card);
    if (removed.length) {
      const r = removed[0]!;
      throw usageError(`${name}: JSON 2.0 cards no longer support the "${r.tag}" tag (at ${r.pointer})`, {
        hint: 'Nothing was sent. Put buttons directly in elements or columns instead of "action"; use a grey div instead of "note".',
      });
    }
  }
  return { content, card, kind: card.type === 'template' ? 'template' : 'inline', label: name };
}

/** PATCH only works on shared cards; say so before asking the platform. */
export function assertUpdatable(source: CardSource): void {
  if (source.kind === 'inline' && !isSharedCard(source.card)) {
    throw usageError(`${source.label}: only shared cards can be updated, and this JSON 1.0 card does not set config.update_multi to true`, {
      hint: 'Set "config": {"update_multi": true} in both the card you sent and the new one (JSON 2.0 cards are always shared).',
    });
  }
}
