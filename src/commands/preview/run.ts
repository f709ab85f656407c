import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { loadCard, loadVarsFile } from '../../card/load.js';
import { renderTemplate, variablesUsed } from '../../card/template.js';
import { renderCardPage, chooseLocale } from '../../card/render/html.js';
import { cardSchemaOf } from '../../card/inspect.js';
import { looksLikeWpsCard } from '../../card/wps-lint.js';
import { checkWritableFile, writeUserFile } from '../../card/render/output-path.js';

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
  const { card: raw, name } = await loadCard(file, ctx.stdin, ctx.cwd);
  let card = raw;
  if (flags.vars) card = renderTemplate(raw, {}, await loadVarsFile(flags.vars, ctx.stdin, ctx.cwd));
  else if (variablesUsed(raw).length) ctx.out.warn(`${name} uses template variables (${variablesUsed(raw).map((v) => `\${${v}}`).join(', ')}): give them with --vars vars.json`);
  // Local image files the card names show as they will look once uploaded; keys on the platform stay placeholders.
  const { localImageDataUris } = await import('../../card/local-images.js');
  const images = await localImageDataUris(card, file, (m) => ctx.out.warn(`${name}: ${m}`), ctx.cwd);
  const html = renderCardPage(card, { locale: flags.locale, dark: flags.dark, title: `card preview: ${name}`, imageSrc: (key) => images.get(key) ?? null });

  // What was written is reported as a full path; the checks name each path as the user wrote it.
  let htmlPath: string | null = flags.out ? resolve(ctx.cwd, flags.out) : null;
  const wantsFile = flags.open || (!flags.out && !flags.png && ctx.out.stdout.isTTY && !ctx.out.json);
  if (!htmlPath && wantsFile) htmlPath = join(tmpdir(), `card-preview-${createHash('sha256').update(html).digest('hex').slice(0, 12)}.html`);
  const pngPath: string | null = flags.png ? resolve(ctx.cwd, flags.png) : null;
  // Both paths are checked before anything is written or a browser starts.
  if (flags.out) await checkWritableFile(flags.out, '--out', ctx.cwd);
  if (flags.png) await checkWritableFile(flags.png, '--png', ctx.cwd);
  if (flags.out) await writeUserFile(flags.out, html, '--out', ctx.cwd);
  else if (htmlPath) await writeUserFile(htmlPath, html, 'the preview file');
  let missingGlyphs: string[] = [];
  if (flags.png) {
    const { screenshotCard } = await import('../../card/render/screenshot.js');
    const shot = await screenshotCard(html, ctx.env, { warn: (m) => ctx.out.warn(m), launch: ctx.io.launchBrowser });
    for (const e of shot.consoleErrors) ctx.out.warn(`page error: ${e}`);
    missingGlyphs = shot.missingGlyphs;
    if (missingGlyphs.length) {
      const list = missingGlyphs.slice(0, 12).map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
      ctx.out.warn(`${flags.png}: no font draws ${missingGlyphs.length} character${missingGlyphs.length === 1 ? '' : 's'} of this card, shown as boxes: ${list}${missingGlyphs.length > 12 ? ', …' : ''}`);
    }
    await writeUserFile(flags.png, shot.png, '--png', ctx.cwd);
  }
  if (!htmlPath && !pngPath && !ctx.out.json) ctx.out.stdout.write(html);
  if (htmlPath) ctx.out.print(htmlPath);
  if (pngPath) ctx.out.print(pngPath);
  if (flags.open && htmlPath) openInBrowser(htmlPath);
  ctx.out.result({ file: name, schema: looksLikeWpsCard(card) ? 'wps' : cardSchemaOf(card), locale: chooseLocale(card, flags.locale), html: htmlPath, png: pngPath, missing_glyphs: pngPath ? missingGlyphs : null });
}
