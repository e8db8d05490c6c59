// Runbook findings that come from how the products really call a server: the documented base URL
// followed by the path the product appends must be a GT route, and a route a runbook says the
// product calls must be callable with the runbook's preset.
import type { Contract, Finding, LoadedRunbook, Runbook } from '../model.ts';
import { presetById, routeById } from '../contract/load.ts';
import { profileById } from './load.ts';
import type { ClientProfile } from './profile.ts';
import { profileIdFor } from './profiles-for-runbooks.ts';
import { clientUrl, contractPathFor, tenantRelativePath, urlPath } from './url.ts';
import type { DocumentedCallProbe } from '../drivers/ai-sdk.ts';

/** One request a product makes with a documented base URL value. */
export interface DocumentedCall {
  /** index of the configuration field in the runbook */
  field: number;
  fieldName: string;
  route: string;
  method: string;
  /** the URL the product calls with the documented value (placeholders kept) */
  url: string;
  /** the URL's path, e.g. /api/tenant/chat/completions */
  path: string;
  /** relative to the tenant base path, e.g. /chat/completions; undefined when outside it */
  tenantPath?: string;
  /** the contract route that URL reaches; undefined for none */
  reaches?: string;
}

function routesOfField(profile: ClientProfile, fieldName: string): string[] | undefined {
  return profile.url.field_routes?.find((f) => fieldName.includes(f.match))?.routes;
}

/** The routes the runbook says the product calls natively and the product's library really calls. */
function nativeRoutes(runbook: Runbook, profile: ClientProfile): string[] {
  return runbook.routes.filter((r) => r.verdict === 'native' && profile.routes[r.route]).map((r) => r.route);
}

/** For each base URL field of the runbook, each request the product makes with the documented value. */
export function documentedCalls(runbook: Runbook, profile: ClientProfile, contract: Contract): DocumentedCall[] {
  const calls: DocumentedCall[] = [];
  runbook.configuration.forEach((field, index) => {
    if (field.role !== 'base_url') return;
    const onlyRoutes = routesOfField(profile, field.name);
    for (const route of nativeRoutes(runbook, profile)) {
      if (onlyRoutes && !onlyRoutes.includes(route)) continue;
      const url = clientUrl(profile, field.value, route);
      calls.push({
        field: index,
        fieldName: field.name,
        route,
        method: profile.routes[route]!.method,
        url,
        path: urlPath(url),
        tenantPath: tenantRelativePath(url, contract),
        reaches: contractPathFor(url, contract)?.id,
      });
    }
  });
  return calls;
}

/** The documented value with the smallest change that makes every call reach its route, if /v1 does it. */
function fixedValue(runbook: Runbook, profile: ClientProfile, contract: Contract, field: number): string | undefined {
  const candidate = `${runbook.configuration[field].value.replace(/\/+$/, '')}/v1`;
  const patched: Runbook = { ...runbook, configuration: runbook.configuration.map((f, i) => (i === field ? { ...f, value: candidate } : f)) };
  const calls = documentedCalls(patched, profile, contract).filter((c) => c.field === field);
  return calls.every((c) => c.reaches === c.route) ? candidate : undefined;
}

function baseUrlFindings(loaded: LoadedRunbook, profile: ClientProfile, contract: Contract): Finding[] {
  const { runbook } = loaded;
  const calls = documentedCalls(runbook, profile, contract);
  const findings: Finding[] = [];
  for (const field of [...new Set(calls.map((c) => c.field))]) {
    const wrong = calls.filter((c) => c.field === field && c.reaches !== c.route);
    if (wrong.length === 0) continue;
    const first = wrong[0];
    const suffix = profile.routes[first.route]!.path;
    const reached = first.reaches ? `GT route ${routeById(contract, first.reaches).number} ${first.reaches}, not ${first.route}` : 'not a GT route';
    const likewise = wrong.length > 1 ? ` (likewise ${wrong.slice(1).map((c) => profile.routes[c.route]!.path).join(', ')})` : '';
    const fix = fixedValue(runbook, profile, contract, field);
    const fixPath = fix ? urlPath(fix) : `${contract.basePath}/v1`;
    findings.push({
      product: runbook.id,
      file: loaded.file,
      line: loaded.lineOf(`configuration[${field}].value`),
      message: `${runbook.product} appends ${suffix} to ${first.fieldName}: documented value calls ${first.path}, ${reached}${likewise}; the base URL must end in ${fixPath}`,
      fix: fix ? `set ${first.fieldName} to ${fix}` : `set ${first.fieldName} so that ${profile.title} reaches ${contract.basePath}/v1/...`,
    });
  }
  return findings;
}

/**
 * A native row the recommended preset cannot reach: the route takes keys of another purpose, or needs a
 * scope the preset does not hold and the row gives no requires_scope. A row an alternative preset of the
 * runbook serves (for that route, with what it needs) is the runbook's own choice, not a defect.
 * gt_extension rows are left out: an integration calls those explicitly, often with a key of its own
 * (an upload key for dataset files), so the product's preset is not what they run with.
 */
function presetFindings(loaded: LoadedRunbook, contract: Contract): Finding[] {
  const { runbook } = loaded;
  const preset = presetById(contract, runbook.preset);
  if (!preset) return [];
  const findings: Finding[] = [];
  runbook.routes.forEach((row, i) => {
    const route = contract.routes.find((r) => r.id === row.route);
    if (row.verdict !== 'native' || !route) return;
    const fits = (p: NonNullable<ReturnType<typeof presetById>>, scope?: string) => route.needs.purposes.includes(p.purpose) && (!scope || p.scopes.includes(scope));
    const scope = row.requires_scope ? undefined : route.needs.scope;
    const byAlternative = (runbook.alternative_presets ?? []).some((alt) => (!alt.routes || alt.routes.includes(row.route)) && presetById(contract, alt.preset) && fits(presetById(contract, alt.preset)!, route.needs.scope));
    if (fits(preset, scope) || byAlternative) return;
    const at = { product: runbook.id, file: loaded.file, line: loaded.lineOf(`routes[${i}].verdict`) ?? loaded.lineOf(`routes[${i}]`) };
    if (!route.needs.purposes.includes(preset.purpose)) {
      findings.push({
        ...at,
        message: `${runbook.product}: route ${row.route} is ${row.verdict}, but the recommended preset ${preset.id} (${preset.name}) makes ${preset.purpose} keys, and ${route.method} ${route.path} takes ${route.needs.purposes.join(' or ')} keys`,
        fix: `recommend a preset of purpose ${route.needs.purposes.join(' or ')}, or name one under alternative_presets for this route`,
      });
      return;
    }
    findings.push({
      ...at,
      message: `${runbook.product}: route ${row.route} is ${row.verdict}, but the recommended preset ${preset.id} (${preset.name}) does not hold ${scope} and the row gives no requires_scope`,
      fix: `add requires_scope: ${scope} to the ${row.route} row, or recommend a preset that holds ${scope}`,
    });
  });
  return findings;
}

/** The finding source for `validate` (src/cli/commands/validate.ts findingSources). */
export function clientFindings(runbooks: LoadedRunbook[], contract: Contract): Finding[] {
  const findings: Finding[] = [];
  for (const loaded of runbooks) {
    const profileId = profileIdFor(loaded.runbook);
    const profile = profileId ? profileById(profileId) : undefined;
    if (profile) findings.push(...baseUrlFindings(loaded, profile, contract));
    findings.push(...presetFindings(loaded, contract));
  }
  return findings;
}

/** Where a runbook documents the AI SDK call: its createOpenAI configuration field, else a setup step naming openai(...). */
function documentedCallLine(loaded: LoadedRunbook): number | undefined {
  const { runbook } = loaded;
  const field = runbook.configuration.findIndex((f) => /createOpenAI/.test(f.name) || /createOpenAI/.test(f.value));
  if (field >= 0) return loaded.lineOf(`configuration[${field}].name`);
  const step = runbook.setup.findIndex((s) => /openai\(/.test(s));
  if (step >= 0) return loaded.lineOf(`setup[${step}]`);
  return loaded.lineOf('driver');
}

/**
 * The run-time finding from probeAiSdkDocumentedCall: the runbook's documented `openai('<alias>')`
 * reached a path that is not the chat route. Undefined when it reached chat completions.
 */
export function documentedCallFinding(loaded: LoadedRunbook, probe: DocumentedCallProbe, contract: Contract): Finding | undefined {
  const reached = probe.path ? contractPathFor(probe.path, contract) : undefined;
  if (reached?.id === 'chat') return undefined;
  const where = probe.path ? `POST ${probe.path}${probe.status !== undefined ? ` (HTTP ${probe.status})` : ''}` : `no request (${probe.error ?? 'unknown error'})`;
  const what = reached ? `GT route ${reached.number} ${reached.id}` : probe.path?.endsWith('/responses') ? 'the Responses API, which GT does not serve' : 'not a GT route';
  return {
    product: loaded.runbook.id,
    file: loaded.file,
    line: documentedCallLine(loaded),
    message: `${loaded.runbook.product}: the documented call openai('<alias>') with createOpenAI (@ai-sdk/openai ${probe.providerVersion}) reaches ${where}: ${what}, not chat completions`,
    fix: `document openai.chat('<alias>') (the chat-completions method) or createOpenAICompatible from @ai-sdk/openai-compatible`,
  };
}
