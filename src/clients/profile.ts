// The ClientProfile type: how one client library or product builds its requests
// (fixtures/clients/<id>.yaml, schema fixtures/clients/profile.schema.json).
import type { DriverId, HttpMethod } from '../model.ts';

/** What a product does to a trailing slash of the configured base URL before appending a path. */
export type TrailingSlash = 'strip' | 'keep' | 'dedupe';

export interface RouteCall {
  via?: string;
  method: HttpMethod;
  /** appended to the configured base URL, e.g. /chat/completions */
  path: string;
  content: 'none' | 'json' | 'multipart';
  trailing_slash?: TrailingSlash;
  stream?: { default: boolean; sends_false: boolean };
  /** sent with a streamed request; null: none */
  stream_options?: Record<string, unknown> | null;
  user?: boolean;
  max_tokens?: { field: 'max_tokens' | 'max_completion_tokens'; default: number | null };
  tools?: 'never' | 'when_configured';
  tool_choice?: string;
  input?: 'array' | 'string' | 'as_given';
  encoding_format?: 'absent' | 'base64' | 'float';
  multipart_fields?: string[];
  json_fields?: string[];
  headers?: string[];
  note?: string;
}

export interface ValidationSpec {
  route: string;
  stream: boolean;
  body?: Record<string, unknown>;
  expect: { status: number; object?: string; missing_object?: 'accepted' | 'rejected'; list_of_ids?: boolean };
  on_failure?: string;
  note?: string;
}

export interface RetrySpec {
  retries: number;
  statuses: number[];
  on_429: 'never' | 'backoff' | 'retry_after_only';
  honours_retry_after_max_s?: number;
  headerless_429: 'stop' | 'backoff';
  note?: string;
}

export interface ClientProfile {
  id: string;
  title: string;
  library: { name: string; version: string; language?: string };
  product_version: string;
  sources: Array<{ repo: string; commit?: string; files: string[]; note?: string }>;
  driver: DriverId;
  url: {
    default_base?: string;
    base_env?: string;
    trailing_slash: TrailingSlash;
    inserts_v1: false;
    /** which routes a runbook configuration field (matched by a substring of its name) is the base URL of */
    field_routes?: Array<{ match: string; routes: string[] }>;
    note?: string;
  };
  headers: { authorization: 'bearer'; accept?: string; content_type?: string; user_agent?: string; others?: string[]; note?: string };
  /** keyed by contract route id (RouteSpec.id) */
  routes: Partial<Record<string, RouteCall>>;
  not_called?: Partial<Record<string, string>>;
  validation?: ValidationSpec;
  documented_call?: { call: string; method: HttpMethod; path: string; contract_route: string | null; note?: string };
  needs: {
    json_content_type: string;
    stream_content_type: string;
    done_sentinel: boolean;
    error_shape: string;
    embeddings_encoding: 'float' | 'base64' | 'none';
    note?: string;
  };
  retry: RetrySpec;
}

/** A profile as loaded: where it came from, for positioned messages. */
export interface LoadedProfile {
  file: string;
  profile: ClientProfile;
  lineOf(path: string): number | undefined;
}
