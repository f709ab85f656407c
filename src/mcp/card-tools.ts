import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { lintText, type LintReport } from '../card/lint.js';
import { cardSchemaOf } from '../card/inspect.js';
import { chooseLocale, renderCardPage } from '../card/render/html.js';
import { renderTemplate, variablesUsed } from '../card/template.js';
import { looksLikeWpsCard } from '../card/wps-lint.js';
import { cardArg, cardObject, cardText } from './card-arg.js';
import type { McpSession } from './session.js';
import { tool } from './tool-kit.js';

/** The lint report as `card lint --json` gives it for one file: rule, JSON pointer, line and column per problem. */
export function lintReport(r: LintReport) {
  return { ok: r.errors === 0, version: r.version, errors: r.errors, warnings: r.warnings, problems: r.problems };
}

const lintOptions = {
  platform: z.enum(['feishu', 'wps']).optional().describe('whose rules: feishu (default, also Lark) or wps'),
  cardkit: z.boolean().optional().describe('lint as a CardKit card entity (streaming cards)'),
};

export function registerCardTools(server: McpServer, session: McpSession): void {
  server.registerTool(
    'lint_card',
    {
      title: 'Lint a card',
      description: 'Checks a Feishu/Lark (or WPS) card against the platform\'s rules, as `card lint` does. Each problem names its rule, JSON pointer (e.g. /body/elements/0/text), line and column.',
      inputSchema: { card: cardArg, ...lintOptions },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(session.secrets, async ({ card, platform, cardkit }) => {
      const report = await lintText(cardText(card), 'card', { platform, cardkit });
      return { data: lintReport(report) };
    }),
  );

  server.registerTool(
    'preview_card',
    {
      title: 'Preview a card',
      description: 'Draws a card as the Feishu client shows it (the renderer and browser of `card preview --png`, with its Chinese and emoji fonts) and returns the PNG with the lint report.',
      inputSchema: {
        card: cardArg,
        vars: z.record(z.string(), z.unknown()).optional().describe('values for ${name} placeholders of a template card'),
        locale: z.string().regex(/^[a-z]{2}_[a-z]{2}$/, 'a locale such as en_us or zh_cn').optional().describe('language for i18n content (default zh_cn when present)'),
        dark: z.boolean().optional().describe('dark theme'),
        width: z.number().int().min(280).max(1200).optional().describe('page width in CSS pixels (default 680)'),
        ...lintOptions,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(session.secrets, async ({ card, vars, locale, dark, width, platform, cardkit }) => {
      const text = cardText(card);
      const report = await lintText(text, 'card', { platform, cardkit, templateVars: vars });
      const raw = cardObject(text);
      const unset = vars ? [] : variablesUsed(raw);
      const shown = vars ? renderTemplate(raw, {}, vars) : raw;
      const html = renderCardPage(shown, { locale, dark, title: 'card preview' });
      const { png, missingGlyphs, pageErrors } = await session.browser.cardPng(html, { width });
      return {
        data: {
          schema: looksLikeWpsCard(shown) ? 'wps' : cardSchemaOf(shown),
          locale: chooseLocale(shown, locale),
          missing_glyphs: missingGlyphs,
          page_errors: pageErrors,
          unset_variables: unset,
          lint: lintReport(report),
        },
        png,
      };
    }),
  );
}
