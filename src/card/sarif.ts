import { pathToFileURL } from 'node:url';
import type { LintReport } from './lint.js';

/** SARIF 2.1.0, the format code-scanning tools (GitHub, GitLab, IDEs) read. */
export function toSarif(reports: LintReport[], version: string): object {
  const rules = [...new Set(reports.flatMap((r) => r.problems.map((p) => p.rule)))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'card lint', version, informationUri: 'https://www.npmjs.com/package/card', rules: rules.map((id) => ({ id, name: id })) } },
        results: reports.flatMap((r) =>
          r.problems.map((p) => ({
            ruleId: p.rule,
            level: p.severity === 'error' ? 'error' : 'warning',
            message: { text: `${p.message} (at ${p.pointer || '/'})` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: r.file === '<stdin>' ? 'stdin' : pathToFileURL(r.file).href },
                  ...(p.line !== null ? { region: { startLine: p.line, startColumn: p.column ?? 1 } } : {}),
                },
                logicalLocations: [{ fullyQualifiedName: p.pointer || '/', kind: 'object' }],
              },
            ],
          })),
        ),
      },
    ],
  };
}
