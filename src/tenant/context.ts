// What a route handler works with: the tenant's runtime state and one authenticated request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Contract, RouteSpec } from '../model.ts';
import { ApiError, errors, readBody } from './http.ts';
import type { KeyRing, TenantKey } from './keys.ts';
import { boundaryOf, MultipartError, parseMultipart, type MultipartPart } from './multipart.ts';
import type { ProfileChoices } from './profile.ts';
import type { SeedPublishedName } from './seed.ts';
import type { Conversation, TenantStore } from './store.ts';

export interface TenantRuntime {
  /** ms since the epoch */
  now: () => number;
  contract: Contract;
  profile: ProfileChoices;
  defects: ReadonlySet<string>;
  ring: KeyRing;
  store: TenantStore;
  published: SeedPublishedName[];
  datasets: ReadonlySet<string>;
  processingMs: number;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  /** unix seconds: the `created` of every published model */
  publishedAt: number;
}

/** What the traffic record keeps of a request body: its size and a redacted outline. */
export interface BodySummary {
  bytes: number;
  kind: 'json' | 'multipart' | 'other';
  json?: unknown;
  parts?: Array<{ name: string; filename?: string; bytes: number; value?: string }>;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, MultipartPart>;
}

/** Extra room for multipart framing and text fields on top of the upload limit. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export class RequestContext {
  bodySummary?: BodySummary;

  constructor(
    readonly rt: TenantRuntime,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly route: RouteSpec,
    readonly params: Record<string, string>,
    readonly key: TenantKey,
  ) {}

  has(defect: string): boolean {
    return this.rt.defects.has(defect);
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  badRequest(message: string, code?: string): ApiError {
    return errors.badRequest(this.rt.profile.badRequestStatus, message, code);
  }

  missingField(field: string): ApiError {
    if (this.has('missing-field-500')) return errors.internal(`internal server error: cannot read properties of undefined (reading '${field}')`);
    return this.badRequest(`missing required field "${field}"`, 'missing_field');
  }

  /** A required string field: absent → missing field, another type → bad request. */
  requireString(body: Record<string, unknown>, field: string): string {
    const value = body[field];
    if (value === undefined || value === null || value === '') throw this.missingField(field);
    if (typeof value !== 'string') throw this.badRequest(`field "${field}" must be a string`);
    return value;
  }

  optionalString(body: Record<string, unknown>, field: string): string | undefined {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.badRequest(`field "${field}" must be a string`);
    return value;
  }

  async json(): Promise<Record<string, unknown>> {
    const body = await readBody(this.req, this.rt.bodyLimitBytes);
    this.bodySummary = { bytes: body.length, kind: 'json' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw this.badRequest('request body is not valid JSON', 'invalid_json');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw this.badRequest('request body must be a JSON object', 'invalid_json');
    this.bodySummary.json = parsed;
    return parsed as Record<string, unknown>;
  }

  async multipart(): Promise<MultipartForm> {
    const boundary = boundaryOf(this.header('content-type'));
    const body = await readBody(this.req, this.rt.uploadLimitBytes + MULTIPART_OVERHEAD_BYTES);
    this.bodySummary = { bytes: body.length, kind: 'multipart' };
    if (!boundary) throw this.badRequest('request body must be multipart/form-data with a boundary', 'invalid_multipart');
    let parts: MultipartPart[];
    try {
      parts = parseMultipart(body, boundary);
    } catch (err) {
      throw this.badRequest(`malformed multipart body: ${(err as MultipartError).message}`, 'invalid_multipart');
    }
    this.bodySummary.parts = parts.map((p) => ({
      name: p.name,
      ...(p.filename !== undefined ? { filename: p.filename, bytes: p.data.length } : { bytes: p.data.length, value: p.data.toString('utf8') }),
    }));
    const form: MultipartForm = { fields: {}, files: {} };
    for (const part of parts) {
      if (part.filename !== undefined) form.files[part.name] ??= part;
      else form.fields[part.name] ??= part.data.toString('utf8');
    }
    for (const file of Object.values(form.files)) {
      if (file.data.length > this.rt.uploadLimitBytes) throw errors.tooLarge(`file "${file.name}" exceeds the upload limit of ${this.rt.uploadLimitBytes} bytes`);
    }
    return form;
  }

  /** The multipart `file` part, required. */
  requireFile(form: MultipartForm): MultipartPart {
    const file = form.files.file;
    if (!file) throw this.missingField('file');
    return file;
  }

  /**
   * A model name the key may use: published and on its allowlist. Unpublished and hidden names get the same
   * answer. A published name that serves only some routes (the seed's `serves`) is a bad request elsewhere.
   */
  requireModel(name: string): void {
    const published = this.rt.published.find((p) => p.name === name);
    if (!published || !(this.key.models.includes(name) || this.has('model-allowlist-ignored'))) {
      throw errors.denied(this.rt.profile.notAllowedStatus, `model "${name}" is not available to this key${this.leakedModelList(name)}`, 'model_not_allowed');
    }
    if (published.serves && !published.serves.includes(this.route.id)) {
      throw this.badRequest(`model "${name}" does not serve ${this.route.method} ${this.route.path}; it serves ${published.serves.join(', ')}`, 'model_not_supported');
    }
  }

  /** The error-leaks-hidden-model defect: a helpful list of the key's models, and one published name it must not see. */
  private leakedModelList(asked: string): string {
    if (!this.has('error-leaks-hidden-model')) return '';
    const hidden = this.rt.published.find((p) => !this.key.models.includes(p.name) && p.name !== asked)?.name;
    return `; available models: ${[...this.key.models, ...(hidden ? [hidden] : [])].join(', ')}`;
  }

  /** A conversation of the key's family, or the profile's answer for an unknown or foreign id. */
  reachableConversation(id: string): Conversation {
    const conversation = this.rt.store.conversation(id);
    if (conversation && (conversation.family === this.key.family || this.has('cross-family-conversation-visible'))) return conversation;
    throw errors.denied(this.rt.profile.otherFamilyStatus, 'conversation not found for this key', 'conversation_not_found');
  }

  /** 201, or the profile's other success code, for R7 (conversations) and R8/R9 (uploads). */
  createdStatus(kind: 'conversations' | 'uploads'): number {
    return this.rt.profile.createdStatus[kind];
  }
}

export type RouteHandler = (ctx: RequestContext) => Promise<void>;
