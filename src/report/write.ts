// Writes the report files into the output folder, and the Markdown into the CI step summary when there is one.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConformanceReport } from './report-model.ts';
import { assertValidReport } from './validate.ts';
import { renderMarkdown } from './markdown.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { harFromReport } from './har.ts';
import { scrubDeep, scrubText } from './scrub.ts';
import { claimOutDir } from './out-dir.ts';

export const REPORT_FILES = {
  json: 'conformance-report.json',
  markdown: 'conformance-report.md',
  html: 'conformance-report.html',
  junit: 'junit.xml',
  har: 'evidence.har',
} as const;

export interface WrittenReports {
  json: string;
  markdown: string;
  html: string;
  junit: string;
  har: string;
  stepSummary?: string;
}

/**
 * Validates the report against its schema, then writes JSON, Markdown, HTML, JUnit and the HAR evidence into outDir
 * (claimed: src/report/out-dir.ts). The renderers get the report scrubbed: a format that escapes characters (Markdown
 * writes gtak_x as gtak\_x) would split a token the scrub of the written text could no longer find.
 */
export function writeReports(given: ConformanceReport, outDir: string, env: NodeJS.ProcessEnv = process.env): WrittenReports {
  assertValidReport(given);
  claimOutDir(outDir);
  const report = scrubDeep(given);
  const write = (name: string, text: string) => {
    const file = path.join(outDir, name);
    writeFileSync(file, scrubText(text));
    return file;
  };
  const markdown = renderMarkdown(report);
  const written: WrittenReports = {
    json: write(REPORT_FILES.json, `${JSON.stringify(report, null, 2)}\n`),
    markdown: write(REPORT_FILES.markdown, markdown),
    html: write(REPORT_FILES.html, renderHtml(report)),
    junit: write(REPORT_FILES.junit, renderJunit(report)),
    har: write(REPORT_FILES.har, `${JSON.stringify(harFromReport(report), null, 1)}\n`),
  };
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary) {
    appendFileSync(summary, `${scrubText(markdown)}\n`);
    written.stepSummary = summary;
  }
  return written;
}
