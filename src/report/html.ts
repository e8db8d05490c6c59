// conformance-report.html: one self-contained file (inline CSS and JS, no network) with the products × routes
// matrix; a click on a cell opens the evidence of that cell's checks.
// Every value from the run goes through esc(): tenant answers end up in transcripts and must never become markup.
// The Content-Security-Policy allows only this file's own style and script (by hash), so even a missed escape
// could not run a script or load anything.
import { createHash } from 'node:crypto';
import type { ConformanceReport, ReportCell, ReportCheck, ReportProduct } from './report-model.ts';
import { checkName, verdictWords } from './names.ts';
import { OUTCOMES, outcomeWords } from '../outcome/outcomes.ts';
import { exchangeTitle, exchangeTranscript } from './transcript.ts';
import { reproduction } from './curl.ts';
import { comparisonWords, negativeWords, productStatus, requestsWords } from './summary.ts';

export function esc(text: string | number | undefined): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const CSS = `
:root { font-family: system-ui, sans-serif; color: #1b1f24; background: #fff; }
body { margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; }
.gate { display: inline-block; padding: .15rem .6rem; border-radius: .3rem; font-weight: 600; }
.gate[data-passed="true"] { background: #dafbe1; color: #116329; }
.gate[data-passed="false"] { background: #ffebe9; color: #a40e26; }
.run { color: #57606a; font-size: .9rem; }
.run code { font-size: .85rem; }
.counts { display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; list-style: none; }
.counts li { padding: .2rem .5rem; border-radius: .3rem; font-size: .9rem; }
/* The matrix fits the window (1280 px shows every route); narrower, it scrolls under a product column that stays. */
.matrix-wrap { overflow-x: auto; max-width: 100%; }
table.matrix { border-collapse: separate; border-spacing: 0; font-size: .82rem; width: 100%; min-width: 56rem; table-layout: fixed; }
.matrix th, .matrix td { border: 1px solid #d0d7de; border-width: 0 1px 1px 0; padding: .2rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
.matrix tr > :first-child { border-left-width: 1px; }
.matrix thead th { border-top-width: 1px; background: #f6f8fa; font-weight: 600; }
.matrix col.product-col { width: 12rem; }
.matrix thead .route-id { font-weight: 400; font-size: .76rem; }
.matrix th.product { position: sticky; left: 0; z-index: 1; background: #fff; }
.matrix thead th.product { background: #f6f8fa; z-index: 2; }
.matrix .sub { display: block; color: #57606a; font-weight: 400; font-size: .72rem; }
.matrix .result { display: inline-block; margin-top: .15rem; padding: 0 .3rem; border-radius: .25rem; font-size: .72rem; font-weight: 600; }
.cell { display: block; width: 100%; border: 0; border-radius: .25rem; padding: .3rem; cursor: pointer; text-align: left; font: inherit; overflow-wrap: break-word; }
.cell .verdict { display: block; font-size: .72rem; opacity: .85; }
.cell .outcome { display: block; font-weight: 600; }
.cell[aria-expanded="true"] { outline: 3px solid #0969da; }
[data-outcome="passed"] { background: #dafbe1; color: #116329; }
[data-outcome="denied_as_expected"] { background: #d8f3f0; color: #0b5e55; }
[data-outcome="failed"] { background: #ffcecb; color: #82071e; }
[data-outcome="blocked"] { background: #ffe2bd; color: #7a4100; }
[data-outcome="not_exercised"] { background: #eaeef2; color: #424a53; }
[data-outcome="not_run"] { background: #fff1e5; color: #953800; }
[data-outcome="skipped"] { background: #f6f8fa; color: #57606a; }
[data-outcome="waived"] { background: #eddeff; color: #5a32a3; }
[data-outcome="manual"] { background: #ddf4ff; color: #0550ae; }
[data-outcome="runbook_defect"] { background: #fff8c5; color: #6f4e00; }
[data-outcome="none"] { background: #fff; color: #8c959f; }
.detail { border: 1px solid #d0d7de; border-radius: .4rem; padding: .6rem 1rem; margin-top: 1rem; }
.detail:focus { outline: 2px solid #0969da; }
.check { border-left: 4px solid #d0d7de; padding: .2rem .8rem; margin: .8rem 0; background: transparent; color: inherit; }
.check[data-outcome="failed"] { border-left-color: #cf222e; }
.check h4 { margin: .2rem 0; font-size: .95rem; }
.check .badge { display: inline-block; padding: 0 .4rem; border-radius: .25rem; font-size: .8rem; font-weight: 600; }
.check .facts { color: #57606a; font-size: .8rem; margin: .2rem 0; }
.check .message { white-space: pre-wrap; margin: .3rem 0; }
pre.transcript { background: #f6f8fa; padding: .5rem; overflow-x: auto; font-size: .78rem; white-space: pre-wrap; word-break: break-all; max-height: 30rem; }
ul.items { padding-left: 1.2rem; }
ul.items li { margin: .2rem 0; }
.hint { color: #57606a; font-size: .85rem; }
.comparison { border: 1px solid #d0d7de; border-radius: .4rem; padding: .4rem 1rem; margin: .8rem 0; }
.comparison[data-new="true"] { border-color: #cf222e; }
table.keys { border-collapse: collapse; font-size: .82rem; }
.keys th, .keys td { border: 1px solid #d0d7de; padding: .2rem .4rem; text-align: left; vertical-align: top; }
.keys tr[data-serves="none"] td { background: #fff8c5; }
`;

// Opens the detail section a clicked control points to (aria-controls), and the one named in the URL hash.
const SCRIPT = `
(function () {
  function open(id, focus) {
    var target = document.getElementById(id);
    if (!target || !target.classList.contains('detail')) return;
    document.querySelectorAll('section.detail').forEach(function (s) { s.hidden = s.id !== id; });
    document.querySelectorAll('[aria-controls]').forEach(function (c) {
      c.setAttribute('aria-expanded', String(c.getAttribute('aria-controls') === id));
    });
    if (focus) { target.focus(); target.scrollIntoView({ block: 'start' }); }
  }
  document.addEventListener('click', function (event) {
    var control = event.target.closest('[aria-controls]');
    if (!control) return;
    event.preventDefault();
    open(control.getAttribute('aria-controls'), true);
    history.replaceState(null, '', '#' + control.getAttribute('aria-controls'));
  });
  if (location.hash.length > 1) open(location.hash.slice(1), true);
})();
`;

// Marks where the detail sections go: they are known only after the checklists are rendered.
// A value from the run can never equal it, because everything from the run is escaped and this has a raw '<'.
const DETAILS_PLACEHOLDER = '<gt-details-placeholder>';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

interface DetailSection {
  id: string;
  title: string;
  outcome: string;
  checks: ReportCheck[];
}

export function renderHtml(report: ConformanceReport): string {
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  const details: DetailSection[] = [];
  const cellHtml = (owner: string, cell: ReportCell, verdictLabel: boolean): string => {
    if (!cell.verdict && cell.outcome === 'none') return '<td class="empty"></td>';
    const id = `cell-${details.length + 1}`;
    const verdict = verdictWords(cell.verdict);
    details.push({
      id,
      title: `${owner} › ${cell.route}${verdict ? ` [${verdict}]` : ''}: ${outcomeWords(cell.outcome)}`,
      outcome: cell.outcome,
      checks: cell.checks.map((c) => checks.get(c)).filter((c): c is ReportCheck => !!c),
    });
    return (
      `<td><button type="button" class="cell" data-outcome="${esc(cell.outcome)}" data-verdict="${esc(cell.verdict ?? '')}"` +
      ` data-row="${esc(owner)}" data-route="${esc(cell.route)}" aria-controls="${id}" aria-expanded="false"` +
      ` title="${esc(`${owner} › ${cell.route}: ${cell.checks.length} check(s)`)}">` +
      `${verdictLabel && verdict ? `<span class="verdict">${esc(verdict)}</span>` : ''}<span class="outcome">${esc(outcomeWords(cell.outcome))}</span></button></td>`
    );
  };

  // The product column holds what used to take two more (compatibility, preset): every route fits beside it.
  const rows = report.products.map((p) => {
    const result = productStatus(p, report.gate.failOnFindings);
    return (
      `<tr data-product="${esc(p.id)}"><th class="product" scope="row">${esc(p.product)}<span class="sub">${esc(p.id)} · ${esc(p.compatibility)} · preset ${esc(p.preset)}</span>` +
      `<span class="result" data-outcome="${esc(result.outcome)}">${esc(result.words)}</span></th>${p.routes.map((c) => cellHtml(p.id, c, true)).join('')}</tr>`
    );
  });
  if (report.crossCutting.checks.length) {
    rows.push(
      `<tr data-product="cross-cutting"><th class="product" scope="row">cross-cutting<span class="sub">every key, every route</span></th>` +
        `${report.crossCutting.routes.map((c) => cellHtml('cross-cutting', c, false)).join('')}</tr>`,
    );
  }
  const productDetails = report.products.map((p) => productSection(p, checks, details, report.gate.failOnFindings));

  const body = [
    `<header><h1>GT conformance report</h1>`,
    `<p><span class="gate" data-passed="${report.gate.passed}">${report.gate.passed ? 'PASSED' : 'FAILED'}</span> ${esc(report.gate.reasons.join('; '))}</p>`,
    `<p class="run">Target ${esc(report.target.kind)} <code>${esc(report.target.host)}</code>${report.target.defects?.length ? ` with injected defects <code>${esc(report.target.defects.join(', '))}</code>` : ''}` +
      ` · seed <code>${esc(report.seed)}</code> · gt-conformance ${esc(report.harness.version)} · ${esc(report.startedAt)} to ${esc(report.finishedAt)}<br>` +
      `contract <code>${esc(report.contract.digest)}</code>` +
      `${report.requests ? `<br>${esc(requestsWords(report.requests))}` : ''}${report.negative ? ` · ${esc(negativeWords(report.negative))}` : ''}</p></header>`,
    report.comparison ? comparisonHtml(report) : '',
    `<ul class="counts" aria-label="checks per outcome">${OUTCOMES.filter((o) => report.counts[o])
      .map((o) => `<li data-outcome="${o}">${esc(outcomeWords(o))}: <strong>${report.counts[o]}</strong></li>`)
      .join('')}<li data-outcome="none">total: <strong>${report.counts.total}</strong></li></ul>`,
    `<h2>Products × routes</h2><p class="hint">Each cell shows the product's verdict for the route and the outcome of its checks; click a cell for the checks and their HTTP exchanges.</p>`,
    `<div class="matrix-wrap"><table class="matrix"><colgroup><col class="product-col">${report.routes.map(() => '<col>').join('')}</colgroup>` +
      `<thead><tr><th scope="col" class="product">product</th>` +
      report.routes.map((r) => `<th scope="col" data-route="${esc(r.id)}">${esc(r.number ?? '')} <span class="route-id">${esc(r.id)}</span>${r.title ? `<span class="sub">${esc(r.title)}</span>` : ''}</th>`).join('') +
      `</tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
    // the evidence panel right under the matrix, so a click shows it where the eye already is
    `<div id="details">${DETAILS_PLACEHOLDER}</div>`,
    failuresList(report, details),
    `<h2>Checklists and findings</h2>`,
    productDetails.join(''),
    report.keyCoverage ? coverageHtml(report.keyCoverage) : '',
    report.errors.length ? `<h2>Run errors</h2><ul class="items">${report.errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>` : '',
    `<h2>Runbooks</h2><ul class="items">${report.runbooks.map((r) => `<li><code>${esc(r.file)}</code> sha256 <code>${esc(r.digest)}</code></li>`).join('')}</ul>`,
  ].join('\n').replace(DETAILS_PLACEHOLDER, () => details.map((d) => detailSection(d, report)).join(''));

  const csp = `default-src 'none'; style-src 'sha256-${sha256(CSS)}'; script-src 'sha256-${sha256(SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`, // our own constant: no quote, no markup
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>GT conformance: ${report.gate.passed ? 'passed' : 'failed'}</title>`,
    `<style>${CSS}</style>`,
    '</head><body>',
    body,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** Failed checks first thing under the matrix, each linking to the cell (or section) that holds it. */
function failuresList(report: ConformanceReport, details: DetailSection[]): string {
  const failed = report.checks.filter((c) => c.outcome === 'failed');
  if (!failed.length) return '';
  const items = failed.map((c) => {
    const section = details.find((d) => d.checks.some((x) => x.id === c.id));
    const label = esc(checkName(c));
    const link = section ? `<a href="#${section.id}" aria-controls="${section.id}">${label}</a>` : label;
    return `<li>${link}: ${esc(c.message)}</li>`;
  });
  return `<h2>Failed (${failed.length})</h2><ul class="items failures">${items.join('')}</ul>`;
}

/** A product's checklist (machine-checked items with their outcome, manual items as manual) and its findings. */
function productSection(p: ReportProduct, checks: Map<string, ReportCheck>, details: DetailSection[], failOnFindings: boolean): string {
  const result = productStatus(p, failOnFindings);
  const items = p.validation.map((v) => {
    const check = v.checkId ? checks.get(v.checkId) : undefined;
    let control = '';
    if (check && check.outcome !== 'manual') {
      const id = `item-${details.length + 1}`;
      details.push({ id, title: `${p.id} › checklist: ${v.text}`, outcome: check.outcome, checks: [check] });
      control = ` <a href="#${id}" aria-controls="${id}">evidence</a>`;
    }
    return `<li><span class="badge" data-outcome="${esc(v.outcome)}">${esc(outcomeWords(v.outcome))}</span> ${esc(v.text)}${v.check ? ` <code>${esc(v.check)}</code>` : ''}${control}</li>`;
  });
  const findingChecks = p.checks.map((id) => checks.get(id)).filter((c): c is ReportCheck => c?.group === 'finding');
  const evidence = (c: ReportCheck) => {
    const id = `item-${details.length + 1}`;
    details.push({ id, title: `${p.id} › finding: ${c.title}`, outcome: c.outcome, checks: [c] });
    return ` <a href="#${id}" aria-controls="${id}">evidence</a>`;
  };
  const findings = findingChecks.map(
    (c) => `<li><span class="badge" data-outcome="${esc(c.outcome)}">${esc(outcomeWords(c.outcome))}</span> ${esc(c.message)}${evidence(c)}</li>`,
  );
  // findings that no check stands for (a planner that does not make finding checks)
  const loose = findingChecks.length ? [] : p.findings;
  findings.push(...loose.map(
    (f) =>
      `<li><span class="badge" data-outcome="runbook_defect">runbook defect</span> <code>${esc(`${f.file}${f.line ? `:${f.line}` : ''}`)}</code> ${esc(f.message)}${f.fix ? ` <em>Fix:</em> ${esc(f.fix)}` : ''}</li>`,
  ));
  return (
    `<section class="product" data-product="${esc(p.id)}"><h3>${esc(p.product)} <span class="badge" data-outcome="${esc(result.outcome)}">${esc(result.words)}</span></h3>` +
    `<p class="run">${esc(p.category)} · ${esc(p.compatibility)} · preset <code>${esc(p.preset)}</code> · driver <code>${esc(p.driver)}</code> · <code>${esc(p.file)}</code></p>` +
    (items.length ? `<ul class="items checklist">${items.join('')}</ul>` : '') +
    (findings.length ? `<ul class="items findings">${findings.join('')}</ul>` : '') +
    `</section>`
  );
}

function detailSection(d: DetailSection, report: Pick<ConformanceReport, 'target'>): string {
  const checks = d.checks.length ? d.checks.map((c) => checkArticle(c, report)).join('') : '<p>No check ran for this cell.</p>';
  return `<section class="detail" id="${d.id}" tabindex="-1" hidden data-outcome-of="${esc(d.outcome)}"><h3>${esc(d.title)}</h3>${checks}</section>`;
}

function checkArticle(c: ReportCheck, report: Pick<ConformanceReport, 'target'>): string {
  const facts = [
    `<code>${esc(c.id)}</code>`,
    `severity ${esc(c.severity)}`,
    c.keyPreset ? `key preset <code>${esc(c.keyPreset)}</code>` : '',
    c.durationMs !== undefined ? `${esc(c.durationMs)} ms` : '',
    c.waiver ? `waiver until ${esc(c.waiver.expires)}: ${esc(c.waiver.reason)}` : '',
  ].filter(Boolean);
  const exchanges = c.exchanges
    .map((e) => `<details class="exchange"${c.outcome === 'failed' ? ' open' : ''}><summary>${esc(e.label)}: ${esc(exchangeTitle(e))} (${esc(e.durationMs)} ms)</summary><pre class="transcript">${esc(exchangeTranscript(e))}</pre></details>`)
    .join('');
  const curl = reproduction(c, report);
  return (
    `<article class="check" data-outcome="${esc(c.outcome)}" data-check="${esc(c.id)}"><h4><span class="badge" data-outcome="${esc(c.outcome)}">${esc(outcomeWords(c.outcome))}</span> ${esc(c.title)}</h4>` +
    `<p class="facts">${facts.join(' · ')}</p><p class="message">${esc(c.message)}</p>` +
    (exchanges || (c.ran ? '<p class="facts">no HTTP exchange recorded</p>' : '')) +
    (curl ? `<details class="curl" open><summary>reproduce with curl</summary><pre class="transcript curl">${esc(curl)}</pre></details>` : '') +
    `</article>`
  );
}

/** What changed since the baseline, first thing under the header; each new failure links to its cell. */
function comparisonHtml(report: ConformanceReport): string {
  const c = report.comparison!;
  const byId = new Map(report.checks.map((x) => [x.id, x]));
  const list = (title: string, ids: string[], open: boolean) =>
    ids.length
      ? `<details${open ? ' open' : ''}><summary>${esc(title)} (${ids.length})</summary><ul class="items">${ids
          .map((id) => `<li><code>${esc(id)}</code>${byId.get(id) && title === 'New failures' ? `: ${esc(byId.get(id)!.message)}` : ''}</li>`)
          .join('')}</ul></details>`
      : '';
  return (
    `<section class="comparison" data-new="${c.new_failures.length > 0}"><h2>Against the baseline</h2><p>${esc(`Compared ${comparisonWords(c)}`)}</p>` +
    list('New failures', c.new_failures, true) +
    list('Fixed', c.fixed, false) +
    list('Still failing', c.still_failing, false) +
    list('New checks', c.new_checks, false) +
    list('Removed checks', c.removed_checks, false) +
    `</section>`
  );
}

/** Each key with what it serves; a key that serves nothing is marked, and the skipped checks say what would enable them. */
function coverageHtml(coverage: NonNullable<ConformanceReport['keyCoverage']>): string {
  if (!coverage.keys.length && !coverage.skipped.length) return '';
  const rows = coverage.keys.map(
    (k) =>
      `<tr data-key="${esc(k.key)}" data-serves="${k.checks ? 'some' : 'none'}"><td><code>${esc(k.key)}</code></td><td>${esc(k.preset ?? '')}</td><td>${esc(k.purpose)}${k.revoked ? ' (revoked)' : ''}</td>` +
      `<td>${k.checks}</td><td>${k.serves.length ? k.serves.map((u) => `${esc(u.kind)} (${u.checks})${u.routes.length ? `: ${esc(u.routes.join(', '))}` : ''}`).join('<br>') : 'nothing'}</td></tr>`,
  );
  const skipped = coverage.skipped.map((g) => `<li>${esc(g.reason)}: <code>${esc(g.checks.join(', '))}</code></li>`);
  return (
    `<h2>Keys and what they serve</h2><table class="keys"><thead><tr><th>key</th><th>preset</th><th>purpose</th><th>checks</th><th>serves</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    (skipped.length ? `<h3>Skipped checks, and what would enable them</h3><ul class="items">${skipped.join('')}</ul>` : '')
  );
}
