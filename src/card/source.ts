import type { Readable } from 'node:stream';
import { CliError, usageError } from '../output/errors.js';
import type { Output } from '../output/output.js';
import { isSharedCard, type CardObject } from './inspect.js';
import { loadCard, loadVarsFile, parseVarFlags } from './load.js';
import { printable } from '../output/printable.js';

export interface CardSourceFlags {
  template?: string;
  templateVersion?: string;
  var?: string[];
  vars?: string;
  /** false with --no-lint: send the card as it is and let the platform judge it. */
  lint?: boolean;
  /** Which platform's card rules apply. */
  platform?: 'feishu' | 'wps';
  /** send --upload-images: local files in image fields are uploaded before sending, so lint does not warn about them. */
  uploadImages?: boolean;
  /** Where a relative card or --vars path starts from (the process's working directory without one). */
  cwd?: string;
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
 * variables. An inline card is linted first, so a bad card stops before any request.
 */
export async function cardFromFlags(file: string | undefined, flags: CardSourceFlags, stdin: Readable, out?: Output): Promise<CardSource> {
  if (flags.template) {
    if (file) throw usageError(`give a card file or --template, not both (got ${file} and --template ${flags.template})`);
    const variables = { ...(flags.vars ? await loadVarsFile(flags.vars, stdin, flags.cwd) : {}), ...parseVarFlags(flags.var ?? []) };
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
  const { card, name, text } = await loadCard(file, stdin, flags.cwd);
  const content = JSON.stringify(card);
  if (flags.lint !== false) {
    const { lintCard } = await import('./lint.js');
    const report = await lintCard(card, text, name, { platform: flags.platform });
    if (report.errors) {
      const first = report.problems.filter((p) => p.severity === 'error');
      const lines = first.slice(0, 5).map((p) => `${name}:${p.line ?? '-'}:${p.column ?? '-'} ${printable(p.message)} [${p.rule}]`);
      throw new CliError('check', `${name} has ${report.errors} lint error${report.errors === 1 ? '' : 's'}; nothing was sent`, {
        code: 'lint_failed',
        hint: [...lines, report.errors > 5 ? `… and ${report.errors - 5} more: card lint ${name}` : null, 'Fix them, or send it anyway with --no-lint to see what the platform says.'].filter(Boolean).join('\n'),
        details: { file: name, problems: report.problems },
      });
    }
    for (const p of report.problems) if (!(flags.uploadImages && p.rule === 'img-key')) out?.warn(`${name}:${p.line ?? '-'}:${p.column ?? '-'} ${printable(p.message)} [${p.rule}]`);
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
