#!/usr/bin/env node
// DEVELOPMENT ONLY: an in-memory imitation of the Gatehouse management API, used to work on
// the dashboard before/without the C++ server (npm run mock, then open the printed URL).
// It is NOT what the e2e tests run against by default: they start the real binary
// (GATEHOUSE_BIN). It serves web/dist with the same CSP as `gatehouse serve`, so CSP
// mistakes show up here too. Token "signatures" are fake.
//
//   node dev/mock-server.mjs --listen 127.0.0.1:8080 --web-dir dist

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const [host, port] = arg('--listen', '127.0.0.1:8080').split(':');
const webDir = path.resolve(arg('--web-dir', 'dist'));
// --upstream URL: serve only web/dist here and forward every other request (Host header
// kept) to a real gatehouse server that does not serve the dashboard itself yet.
const upstream = arg('--upstream', '');

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const id = (p) => `${p}_${crypto.randomBytes(8).toString('hex')}`;
const secret = () => crypto.randomBytes(32).toString('base64url');
const now = () => new Date().toISOString();
const slugify = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';

const accounts = new Map(); // email -> {id,email,password,created_at}
const sessions = new Map(); // token -> account id
const projects = new Map(); // id -> project (owner)
const apis = new Map(); // env id -> [api]
const clients = new Map(); // env id -> [client]
let origin = '';

class HttpError extends Error {
  constructor(status, error, message, field) {
    super(message);
    Object.assign(this, { status, error, field });
  }
}
const bad = (message, field) => new HttpError(400, 'invalid_request', message, field);
const notFound = () => new HttpError(404, 'not_found', 'Not found.');

function checkName(v, field = 'name') {
  if (typeof v !== 'string' || v.trim().length < 1 || v.length > 100) throw bad(`${field} must be 1 to 100 characters.`, field);
}

function envOf(acc, envId) {
  for (const p of projects.values()) {
    if (p.owner !== acc.id) continue;
    const e = p.environments.find((x) => x.id === envId);
    if (e) return { p, e };
  }
  throw notFound();
}

function newEnv(p, name) {
  checkName(name);
  const slug = slugify(name);
  if (p.environments.some((e) => e.slug === slug)) throw new HttpError(409, 'conflict', `An environment named “${name}” already exists.`, 'name');
  const e = { id: id('env'), project_id: p.id, name, slug, issuer: `${origin}/oauth/${p.slug}/${slug}`, created_at: now() };
  p.environments.push(e);
  apis.set(e.id, []);
  clients.set(e.id, []);
  return e;
}

const pub = (p) => {
  const { owner, ...rest } = p;
  return rest;
};
const pubClient = (c) => {
  const { secrets, ...rest } = c;
  return rest;
};

function validateApi(b, partial) {
  if (!partial || 'name' in b) checkName(b.name);
  if (!partial) {
    if (typeof b.identifier !== 'string' || !b.identifier.trim()) throw bad('identifier is required.', 'identifier');
  }
  if ('scopes' in b) {
    if (!Array.isArray(b.scopes)) throw bad('scopes must be a list.', 'scopes');
    b.scopes.forEach((s, i) => {
      if (!s || typeof s.name !== 'string' || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s.name))
        throw bad('A scope name is a scope-token (RFC 6749): no spaces, quotes or backslashes.', `scopes[${i}].name`);
    });
  }
  if ('token_lifetime' in b && (!Number.isInteger(b.token_lifetime) || b.token_lifetime < 1 || b.token_lifetime > 86400))
    throw bad('token_lifetime must be 1 to 86400 seconds.', 'token_lifetime');
  if ('signing_alg' in b && !['ES256', 'EdDSA', 'RS256', 'PS256'].includes(b.signing_alg))
    throw bad('signing_alg must be ES256, EdDSA, RS256 or PS256.', 'signing_alg');
}

function validateGrants(envId, grants) {
  if (!Array.isArray(grants)) throw bad('grants must be a list.', 'grants');
  for (const g of grants) {
    const a = apis.get(envId).find((x) => x.identifier === g.api);
    if (!a) throw bad(`No API with identifier ${g.api} in this environment.`, 'grants');
    for (const s of g.scopes ?? []) if (!a.scopes.some((x) => x.name === s)) throw bad(`The API ${g.api} has no scope ${s}.`, 'grants');
  }
}

async function handleApi(req, res, url, body) {
  const p = url.pathname.replace(/^\/api\/v1/, '');
  const m = req.method;
  const seg = p.split('/').filter(Boolean);
  const cookie = /(?:^|;\s*)gh_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const tok = bearer ?? cookie;
  const acc = tok && sessions.has(tok) ? [...accounts.values()].find((a) => a.id === sessions.get(tok)) : undefined;
  if (m !== 'GET' && cookie && !bearer && req.headers.origin && req.headers.origin !== origin)
    throw new HttpError(403, 'forbidden', 'Cross-origin request refused.');

  if (p === '/accounts' && m === 'POST') {
    const { email, password } = body;
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email)) throw bad('Enter a valid email address.', 'email');
    if (typeof password !== 'string' || password.length < 12) throw bad('The password must be at least 12 characters.', 'password');
    if (accounts.has(email.toLowerCase())) throw new HttpError(409, 'conflict', 'An account with this email already exists.', 'email');
    const a = { id: id('acc'), email, password, created_at: now() };
    accounts.set(email.toLowerCase(), a);
    return [201, { id: a.id, email: a.email }];
  }
  if (p === '/sessions' && m === 'POST') {
    const a = accounts.get(String(body.email ?? '').toLowerCase());
    if (!a || a.password !== body.password) throw new HttpError(401, 'invalid_credentials', 'Wrong email or password.');
    const t = secret();
    sessions.set(t, a.id);
    const exp = new Date(Date.now() + 12 * 3600e3).toISOString();
    res.setHeader('Set-Cookie', `gh_session=${t}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200`);
    return [201, { token: t, expires_at: exp }];
  }
  if (!acc) throw new HttpError(401, 'unauthorized', 'Log in first.');
  if (p === '/sessions/current' && m === 'DELETE') {
    sessions.delete(tok);
    res.setHeader('Set-Cookie', 'gh_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    return [204];
  }
  if (p === '/accounts/me' && m === 'GET') return [200, { id: acc.id, email: acc.email, created_at: acc.created_at }];

  if (seg[0] === 'projects') {
    if (seg.length === 1 && m === 'GET')
      return [200, { items: [...projects.values()].filter((x) => x.owner === acc.id).map(pub), next_cursor: null }];
    if (seg.length === 1 && m === 'POST') {
      checkName(body.name);
      const pr = { id: id('prj'), name: body.name, slug: slugify(body.name), description: body.description ?? '', environments: [], created_at: now(), owner: acc.id };
      for (const e of body.environments ?? ['development', 'production']) newEnv(pr, e);
      projects.set(pr.id, pr);
      return [201, pub(pr)];
    }
    const pr = projects.get(seg[1]);
    if (!pr || pr.owner !== acc.id) throw notFound();
    if (seg.length === 2 && m === 'GET') return [200, pub(pr)];
    if (seg.length === 2 && m === 'PATCH') {
      if ('name' in body) checkName(body.name);
      Object.assign(pr, 'name' in body ? { name: body.name } : {}, 'description' in body ? { description: body.description } : {});
      return [200, pub(pr)];
    }
    if (seg.length === 2 && m === 'DELETE') {
      projects.delete(pr.id);
      return [204];
    }
    if (seg[2] === 'environments' && m === 'POST') return [201, newEnv(pr, body.name)];
  }

  if (seg[0] === 'environments' && seg[1]) {
    const { e } = envOf(acc, seg[1]);
    const kind = seg[2];
    if (kind === 'apis') {
      const list = apis.get(e.id);
      if (seg.length === 3 && m === 'GET') return [200, { items: list, next_cursor: null }];
      if (seg.length === 3 && m === 'POST') {
        validateApi(body, false);
        if (list.some((x) => x.identifier === body.identifier))
          throw new HttpError(409, 'conflict', 'An API with this identifier already exists in this environment.', 'identifier');
        const a = {
          id: id('api'), environment_id: e.id, name: body.name, identifier: body.identifier, scopes: body.scopes ?? [],
          token_lifetime: body.token_lifetime ?? 3600, signing_alg: body.signing_alg ?? 'ES256', created_at: now(),
          credentials: { client_id: id('api') },
        };
        list.push(a);
        ensureKeys(e.id, a.signing_alg);
        return [201, { ...a, credentials: { ...a.credentials, client_secret: secret() } }];
      }
      const a = list.find((x) => x.id === seg[3]);
      if (!a) throw notFound();
      if (m === 'GET') return [200, a];
      if (m === 'PATCH') {
        validateApi(body, true);
        for (const k of ['name', 'scopes', 'token_lifetime', 'signing_alg']) if (k in body) a[k] = body[k];
        return [200, a];
      }
      if (m === 'DELETE') {
        apis.set(e.id, list.filter((x) => x !== a));
        return [204];
      }
    }
    if (kind === 'keys') {
      if (seg.length === 3 && m === 'GET') return [200, { items: keys.get(e.id) ?? [], next_cursor: null }];
      if (seg[3] === 'rotate' && m === 'POST') return [200, { items: rotateKeys(e.id, body.alg), next_cursor: null }];
    }
    if (kind === 'clients') {
      const list = clients.get(e.id);
      if (seg.length === 3 && m === 'GET') return [200, { items: list.map(pubClient), next_cursor: null }];
      if (seg.length === 3 && m === 'POST') {
        checkName(body.name);
        validateGrants(e.id, body.grants ?? []);
        const s = secret();
        const c = {
          id: id('cli'), environment_id: e.id, client_id: id('cid'), name: body.name, description: body.description ?? '',
          token_endpoint_auth_method: body.token_endpoint_auth_method ?? 'client_secret_basic', grants: body.grants ?? [],
          enabled: true, created_at: now(), tokens_revoked_at: null, secrets: [{ s, exp: null }],
        };
        list.push(c);
        return [201, { ...pubClient(c), client_secret: s }];
      }
      const c = list.find((x) => x.id === seg[3]);
      if (!c) throw notFound();
      if (seg.length === 4 && m === 'GET') return [200, pubClient(c)];
      if (seg.length === 4 && m === 'PATCH') {
        if ('name' in body) checkName(body.name);
        if ('grants' in body) validateGrants(e.id, body.grants);
        for (const k of ['name', 'description', 'token_endpoint_auth_method', 'grants', 'enabled']) if (k in body) c[k] = body[k];
        return [200, pubClient(c)];
      }
      if (seg.length === 4 && m === 'DELETE') {
        clients.set(e.id, list.filter((x) => x !== c));
        return [204];
      }
      if (seg[4] === 'secrets' && m === 'POST') {
        const ttl = body.previous_secret_ttl ?? 3600;
        const s = secret();
        const exp = ttl > 0 ? new Date(Date.now() + ttl * 1000).toISOString() : null;
        c.secrets = [{ s, exp: null }, ...(ttl > 0 ? [{ s: c.secrets[0].s, exp }] : [])];
        return [201, { client_id: c.client_id, client_secret: s, previous_secret_expires_at: exp }];
      }
      if (seg[4] === 'revoke-tokens' && m === 'POST') {
        c.tokens_revoked_at = now();
        return [204];
      }
    }
  }
  throw notFound();
}

// signing keys: a current and a next key per algorithm used by the environment's APIs
const keys = new Map(); // env id -> [{kid, alg, state, created_at, activated_at, retired_at, expires_at}]
function newKey(alg, state) {
  const t = now();
  return { kid: crypto.randomBytes(32).toString('base64url'), alg, state, created_at: t, activated_at: state === 'current' ? t : null, retired_at: null, expires_at: null };
}
function ensureKeys(envId, alg) {
  const list = keys.get(envId) ?? [];
  if (!list.some((k) => k.alg === alg)) list.push(newKey(alg, 'current'), newKey(alg, 'next'));
  keys.set(envId, list);
}
function rotateKeys(envId, alg) {
  const list = keys.get(envId) ?? [];
  const algs = alg ? [alg] : [...new Set(list.map((k) => k.alg))];
  if (alg && !list.some((k) => k.alg === alg)) throw bad(`alg: this environment has no ${alg} keys`, 'alg');
  const t = now();
  for (const a of algs) {
    for (const k of list.filter((x) => x.alg === a)) {
      if (k.state === 'current') Object.assign(k, { state: 'previous', retired_at: t, expires_at: new Date(Date.now() + 86400e3 + 300e3).toISOString() });
      else if (k.state === 'next') Object.assign(k, { state: 'current', activated_at: t });
    }
    list.push(newKey(a, 'next'));
  }
  return list;
}
const envByIssuer = (issuer) => [...projects.values()].flatMap((p) => p.environments).find((e) => e.issuer === issuer);

// {issuer}/.well-known/oauth-authorization-server and {issuer}/verify (GET, ?audience=)
function oauthPublic(req, res, url) {
  const send = (st, o) => {
    res.writeHead(st, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(o));
  };
  const meta = /^(\/oauth\/[^/]+\/[^/]+)\/\.well-known\/oauth-authorization-server$/.exec(url.pathname);
  if (meta) {
    const issuer = origin + meta[1];
    if (!envByIssuer(issuer)) throw notFound();
    return send(200, { issuer, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks.json`, verify_endpoint: `${issuer}/verify` });
  }
  const issuer = origin + url.pathname.replace(/\/verify$/, '');
  const env = envByIssuer(issuer);
  if (!env) throw notFound();
  const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const aud = url.searchParams.get('audience');
  if (!aud) return send(400, { error: 'invalid_request', error_description: 'the audience query parameter is required (once)' });
  const refuse = (d) => {
    res.setHeader('WWW-Authenticate', `Bearer error="invalid_token", error_description="${d}"`);
    send(401, { error: 'invalid_token', error_description: d });
  };
  let claims;
  try {
    claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
  } catch {
    return refuse('the access token is malformed');
  }
  if (claims.iss !== issuer || claims.aud !== aud) return refuse('the token is not for this audience');
  if (claims.exp * 1000 < Date.now()) return refuse('the access token has expired');
  const c = (clients.get(env.id) ?? []).find((x) => x.client_id === claims.client_id);
  if (!c || !c.enabled) return refuse("the token's client is no longer authorized");
  if (c.tokens_revoked_at && claims.iat * 1000 <= new Date(c.tokens_revoked_at).getTime()) return refuse('the access token has been revoked');
  send(200, claims);
}

function tokenEndpoint(req, res, url, raw) {
  // /oauth/{project}/{env}/token
  const form = new URLSearchParams(raw);
  let cid = form.get('client_id');
  let cs = form.get('client_secret');
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (basic) [cid, cs] = Buffer.from(basic, 'base64').toString().split(':');
  const issuer = origin + url.pathname.replace(/\/token$/, '');
  let client;
  for (const list of clients.values()) for (const c of list) if (c.client_id === cid) client = c;
  const env = client && [...projects.values()].flatMap((p) => p.environments).find((e) => e.id === client.environment_id);
  const send = (st, o) => {
    res.writeHead(st, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(o));
  };
  if (!client || !env || env.issuer !== issuer || !client.secrets.some((x) => x.s === cs && (!x.exp || new Date(x.exp) > new Date())))
    return send(401, { error: 'invalid_client' });
  if (form.get('grant_type') !== 'client_credentials') return send(400, { error: 'unsupported_grant_type' });
  const aud = form.get('audience') ?? form.get('resource') ?? (client.grants.length === 1 ? client.grants[0].api : null);
  const g = client.grants.find((x) => x.api === aud);
  if (!g) return send(400, { error: 'invalid_target' });
  const b = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const key = (keys.get(env.id) ?? []).find((k) => k.state === 'current' && k.alg === 'ES256');
  const jwt = `${b({ alg: 'ES256', typ: 'at+jwt', kid: key?.kid ?? 'mock' })}.${b({ iss: issuer, sub: cid, aud, iat, exp: iat + 3600, jti: secret(), client_id: cid, scope: g.scopes.join(' ') })}.${crypto.randomBytes(64).toString('base64url')}`;
  send(200, { access_token: jwt, token_type: 'Bearer', expires_in: 3600, scope: g.scopes.join(' ') });
}

function isStatic(p) {
  return p === '/' || p === '/index.html' || p === '/favicon.svg' || p.startsWith('/assets/');
}

function forward(req, res, body) {
  const u = new URL(upstream);
  const up = http.request(
    { host: u.hostname, port: u.port, method: req.method, path: req.url, headers: req.headers },
    (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    },
  );
  up.on('error', (e) => {
    res.writeHead(502, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'bad_gateway', message: e.message }));
  });
  up.end(body);
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const url = new URL(req.url, origin);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    try {
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end('{"status":"ok"}');
      }
      if (upstream && !isStatic(url.pathname)) return forward(req, res, Buffer.concat(chunks));
      if (url.pathname.startsWith('/api/v1/')) {
        const raw = Buffer.concat(chunks).toString();
        let body = {};
        if (raw) {
          try {
            body = JSON.parse(raw);
          } catch {
            throw bad('The body is not valid JSON.');
          }
        }
        const [st, obj] = await handleApi(req, res, url, body);
        res.writeHead(st, obj ? { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } : {});
        return res.end(obj ? JSON.stringify(obj) : undefined);
      }
      if (req.method === 'POST' && /^\/oauth\/[^/]+\/[^/]+\/token$/.test(url.pathname)) return tokenEndpoint(req, res, url, Buffer.concat(chunks).toString());
      if (req.method === 'GET' && /^\/oauth\/[^/]+\/[^/]+\/(verify|\.well-known\/oauth-authorization-server)$/.test(url.pathname)) return oauthPublic(req, res, url);
      const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
      const file = path.join(webDir, rel);
      if (!file.startsWith(webDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) throw notFound();
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'X-Frame-Options': 'DENY',
      });
      res.end(fs.readFileSync(file));
    } catch (e) {
      const st = e.status ?? 500;
      res.writeHead(st, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: e.error ?? 'server_error', message: e.message, ...(e.field ? { field: e.field } : {}) }));
    }
  });
});
server.listen(Number(port), host, () => {
  origin = `http://${host}:${server.address().port}`;
  console.log(`mock gatehouse listening on ${origin} (web dir ${webDir})`);
});
