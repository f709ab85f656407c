import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { loadCard, loadVarsFile } from '../../card/load.js';
import { renderTemplate, variablesUsed } from '../../card/template.js';
import { renderCardPage, chooseLocale } from '../../card/render/html.js';
import { cardSchemaOf } from '../../card/inspect.js';

interface PreviewFlags {
  out?: string;
  png?: string;
  open?: boolean;
  locale?: string;
  vars?: string;
  dark?: boolean;
}

function openInBrowser(path: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', path] : [path];
  spawn(cmd, args, { detached: true, stdio: 'ignore' }).on('error', () => {}).unref();
}

export async function run(ctx: Context, file: string, flags: PreviewFlags): Promise<void> {
  const { card: raw, name } = await loadCard(file, ctx.stdin);
  let card = raw;
  if (flags.vars) card = renderTemplate(raw, {}, await loadVarsFile(flags.vars, ctx.stdin));
  else if (variablesUsed(raw).length) ctx.out.warn(`${name} uses template variables (${variablesUsed(raw).map((v) => `\${${v}}`).join(', ')}): give them with --vars vars.json`);
  const html = renderCardPage(card, { locale: flags.locale, dark: flags.dark, title: `card preview: ${name}` });

  let htmlPath: string | null = flags.out ? resolve(flags.out) : null;
  const wantsFile = flags.open || (!flags.out && !flags.png && ctx.out.stdout.isTTY && !ctx.out.json);
  if (!htmlPath && wantsFile) htmlPath = join(tmpdir(), `card-preview-${createHash('sha256').update(html).digest('hex').slice(0, 12)}.html`);
  if (htmlPath) await writeFile(htmlPath, html);
  let pngPath: string | null = null;
  if (flags.png) {
    pngPath = resolve(flags.png);
    const { screenshotCard } = await import('../../card/render/screenshot.js');
    const { consoleErrors } = await screenshotCard(html, pngPath, ctx.env);
    for (const e of consoleErrors) ctx.out.warn(`page error: ${e}`);
  }
  if (!htmlPath && !pngPath && !ctx.out.json) ctx.out.stdout.write(html);
  if (htmlPath) ctx.out.print(htmlPath);
  if (pngPath) ctx.out.print(pngPath);
  if (flags.open && htmlPath) openInBrowser(htmlPath);
  ctx.out.result({ file: name, schema: cardSchemaOf(card), locale: chooseLocale(card, flags.locale), html: htmlPath, png: pngPath });
}
