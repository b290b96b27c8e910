// Client for the public Gatehouse management API (same origin, under /api/v1).
// The session is the HttpOnly SameSite=Strict `gh_session` cookie set by POST /sessions;
// the dashboard never sees the token itself. Nothing here uses a private endpoint.

export interface Account {
  id: string;
  email: string;
  created_at?: string;
}

export interface Environment {
  id: string;
  project_id?: string;
  name: string;
  slug: string;
  issuer: string;
  created_at?: string;
}

export interface Project {
  id: string;
  name: string;
  slug: string;
  description?: string;
  environments: Environment[];
  created_at?: string;
}

export interface Scope {
  name: string;
  description?: string;
}

export type SigningAlg = 'ES256' | 'EdDSA' | 'RS256' | 'PS256';
export const SIGNING_ALGS: SigningAlg[] = ['ES256', 'EdDSA', 'RS256', 'PS256'];

export interface Api {
  id: string;
  environment_id?: string;
  name: string;
  identifier: string;
  scopes: Scope[];
  token_lifetime: number;
  signing_alg: SigningAlg;
  created_at?: string;
  credentials?: { client_id: string; client_secret?: string };
}

export type AuthMethod = 'client_secret_basic' | 'client_secret_post';
export const AUTH_METHODS: AuthMethod[] = ['client_secret_basic', 'client_secret_post'];

export interface Grant {
  api: string; // the API identifier (token audience)
  scopes: string[];
}

export interface Client {
  id: string;
  environment_id?: string;
  client_id: string;
  client_secret?: string; // only in the answer to creation
  name: string;
  description?: string;
  token_endpoint_auth_method: AuthMethod;
  grants: Grant[];
  enabled: boolean;
  created_at?: string;
  tokens_revoked_at?: string | null;
}

export interface SecretRotation {
  client_id: string;
  client_secret: string;
  previous_secret_expires_at?: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** An error answer of the management API: {"error", "message", "field"?}. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener | null = null;
/** Called when an authenticated call answers 401 (session expired or logged out elsewhere). */
export function setUnauthorizedListener(fn: UnauthorizedListener | null) {
  onUnauthorized = fn;
}

const BASE = '/api/v1';

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { quiet401?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the Gatehouse server. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const d = (data ?? {}) as { error?: string; message?: string; field?: string };
    const err = new ApiError(
      res.status,
      d.error ?? `http_${res.status}`,
      d.message ?? defaultMessage(res.status),
      d.field,
    );
    if (res.status === 401 && !opts.quiet401 && onUnauthorized) onUnauthorized();
    throw err;
  }
  return data as T;
}

function defaultMessage(status: number): string {
  switch (status) {
    case 400:
      return 'The request was not valid.';
    case 401:
      return 'You are not logged in.';
    case 403:
      return 'This action is not allowed.';
    case 404:
      return 'Not found.';
    case 409:
      return 'This conflicts with something that already exists.';
    case 413:
      return 'The request is too large.';
    case 429:
      return 'Too many requests. Wait a moment and try again.';
    default:
      return `The server answered with an error (${status}).`;
  }
}

const enc = encodeURIComponent;

/** Fetches every page of a list endpoint. */
async function listAll<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    // The server's default page size; next_cursor pages through the rest.
    const sep = path.includes('?') ? '&' : '?';
    const page: Page<T> = await request<Page<T>>('GET', cursor ? `${path}${sep}cursor=${enc(cursor)}` : path);
    out.push(...(page.items ?? []));
    cursor = page.next_cursor ?? null;
    if (!cursor) break;
  }
  return out;
}

export const api = {
  // accounts and sessions
  signup: (email: string, password: string) =>
    request<Account>('POST', '/accounts', { email, password }, { quiet401: true }),
  login: (email: string, password: string) =>
    request<{ token: string; expires_at: string }>('POST', '/sessions', { email, password }, { quiet401: true }),
  logout: () => request<void>('DELETE', '/sessions/current', undefined, { quiet401: true }),
  me: () => request<Account>('GET', '/accounts/me', undefined, { quiet401: true }),

  // projects and environments
  listProjects: () => listAll<Project>('/projects'),
  getProject: (id: string) => request<Project>('GET', `/projects/${enc(id)}`),
  createProject: (body: { name: string; description?: string; environments?: string[] }) =>
    request<Project>('POST', '/projects', body),
  updateProject: (id: string, body: { name?: string; description?: string }) =>
    request<Project>('PATCH', `/projects/${enc(id)}`, body),
  deleteProject: (id: string) => request<void>('DELETE', `/projects/${enc(id)}`),
  createEnvironment: (projectId: string, name: string) =>
    request<Environment>('POST', `/projects/${enc(projectId)}/environments`, { name }),

  // APIs (resource servers)
  listApis: (env: string) => listAll<Api>(`/environments/${enc(env)}/apis`),
  createApi: (env: string, body: Partial<Api>) => request<Api>('POST', `/environments/${enc(env)}/apis`, body),
  updateApi: (env: string, id: string, body: Partial<Api>) =>
    request<Api>('PATCH', `/environments/${enc(env)}/apis/${enc(id)}`, body),
  deleteApi: (env: string, id: string) => request<void>('DELETE', `/environments/${enc(env)}/apis/${enc(id)}`),

  // clients (API consumers)
  listClients: (env: string) => listAll<Client>(`/environments/${enc(env)}/clients`),
  createClient: (env: string, body: Partial<Client>) =>
    request<Client>('POST', `/environments/${enc(env)}/clients`, body),
  updateClient: (env: string, id: string, body: Partial<Client>) =>
    request<Client>('PATCH', `/environments/${enc(env)}/clients/${enc(id)}`, body),
  deleteClient: (env: string, id: string) =>
    request<void>('DELETE', `/environments/${enc(env)}/clients/${enc(id)}`),
  rotateSecret: (env: string, id: string, previousSecretTtl: number) =>
    request<SecretRotation>('POST', `/environments/${enc(env)}/clients/${enc(id)}/secrets`, {
      previous_secret_ttl: previousSecretTtl,
    }),
  revokeTokens: (env: string, id: string) =>
    request<void>('POST', `/environments/${enc(env)}/clients/${enc(id)}/revoke-tokens`),

  // signing keys: every algorithm used by the environment's APIs has a current and a next key
  listKeys: (env: string) => request<Page<SigningKey>>('GET', `/environments/${enc(env)}/keys`),
  /** Rotates the keys of one algorithm, or of every algorithm in use when `alg` is absent. */
  rotateKeys: (env: string, alg?: string) =>
    request<Page<SigningKey>>('POST', `/environments/${enc(env)}/keys/rotate`, alg ? { alg } : {}),

  // audit trail, alerts and blocks of an environment
  /** One page of the environment's audit events, newest first. `params` is a query string. */
  audit: (env: string, params: string) =>
    request<Page<AuditEvent>>('GET', `/environments/${enc(env)}/audit${params ? `?${params}` : ''}`),
  listAlerts: (env: string) => request<Page<Alert>>('GET', `/environments/${enc(env)}/alerts`),
  listBlocks: (env: string) => request<Page<Block>>('GET', `/environments/${enc(env)}/blocks`),
  liftBlock: (env: string, id: string) => request<void>('DELETE', `/environments/${enc(env)}/blocks/${enc(id)}`),
};

export type KeyState = 'next' | 'current' | 'previous';
export interface SigningKey {
  kid: string;
  alg: string;
  /** next: published, not signing yet; current: signs new tokens; previous: published until its tokens expire */
  state: KeyState;
  created_at: string;
  activated_at: string | null;
  retired_at: string | null;
  expires_at: string | null;
}

export interface AuditEvent {
  id: string;
  time: string;
  /** e.g. token.issued, token.refused, token.revoked, client.created, client.secret_rotated */
  type: string;
  project_id?: string | null;
  environment_id?: string | null;
  actor?: string | null;
  client_id?: string | null;
  ip?: string | null;
  request_id?: string | null;
  detail?: Record<string, unknown>;
}

export interface Alert {
  id: string;
  type: string;
  project_id?: string;
  environment_id?: string;
  message: string;
  detail?: Record<string, unknown>;
  created_at: string;
}

export interface Block {
  id: string;
  kind: string;
  environment_id?: string;
  client_id: string | null;
  ip: string;
  strikes: number;
  created_at: string;
  expires_at: string;
}

/** Fetches audit events page by page (200 at a time, newest first) up to `max` events. */
export async function auditEvents(env: string, params: URLSearchParams, max = 2000): Promise<{ items: AuditEvent[]; truncated: boolean }> {
  const items: AuditEvent[] = [];
  let cursor: string | null = null;
  for (;;) {
    const q = new URLSearchParams(params);
    q.set('limit', '200');
    if (cursor) q.set('cursor', cursor);
    const page = await api.audit(env, q.toString());
    items.push(...(page.items ?? []));
    cursor = page.next_cursor ?? null;
    if (!cursor) return { items, truncated: false };
    if (items.length >= max) return { items: items.slice(0, max), truncated: true };
  }
}

/** Endpoints of an environment derived from its issuer (RFC 8414). */
export function envEndpoints(env: Environment) {
  const issuer = env.issuer.replace(/\/+$/, '');
  return {
    issuer,
    metadata: `${issuer}/.well-known/oauth-authorization-server`,
    token: `${issuer}/token`,
  };
}

/** The parts of an environment's RFC 8414 metadata that the dashboard uses. */
export interface EnvMetadata {
  issuer?: string;
  token_endpoint?: string;
  jwks_uri?: string;
  verify_endpoint?: string;
}

/** Fetches the environment's public metadata (no cookie: it is a public document). */
export async function fetchMetadata(env: Environment): Promise<EnvMetadata> {
  let res: Response;
  try {
    res = await fetch(envEndpoints(env).metadata, { credentials: 'omit', cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the Gatehouse server. Check your connection and try again.');
  }
  if (!res.ok) throw new ApiError(res.status, `http_${res.status}`, `The environment's metadata is not available (HTTP ${res.status}).`);
  return (await res.json()) as EnvMetadata;
}
