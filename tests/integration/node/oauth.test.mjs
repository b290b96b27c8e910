// Gatehouse token service against real Node clients (node:test; exits non-zero on failure).
//
//   openid-client (v6, pinned): RFC 8414 discovery on the issuer URL, the client_credentials
//   grant with client_secret_basic and client_secret_post, introspection, revocation.
//   jose (pinned): createRemoteJWKSet + jwtVerify with issuer, audience and typ 'at+jwt'.
//
// Environment (set by ../test_oauth_node.py, or by hand against a running server):
//   ISSUER, CLIENT_ID, CLIENT_SECRET, AUDIENCE        required; the client uses client_secret_basic
//   SCOPES                                            scopes granted on AUDIENCE (space-separated)
//   POST_CLIENT_ID, POST_CLIENT_SECRET                optional client registered for client_secret_post
//   API_CLIENT_ID, API_CLIENT_SECRET                  optional: AUDIENCE's own (introspection) credentials
//   ALG_AUDIENCES                                     optional JSON {"EdDSA": "<identifier>", ...}: more
//                                                     APIs granted to CLIENT_ID, one per signing algorithm
//
//   cd tests/integration/node && npm ci && ISSUER=... CLIENT_ID=... node --test

import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as client from 'openid-client';
import * as jose from 'jose';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

const ISSUER = required('ISSUER');
const CLIENT_ID = required('CLIENT_ID');
const CLIENT_SECRET = required('CLIENT_SECRET');
const AUDIENCE = required('AUDIENCE');
const SCOPES = (process.env.SCOPES || '').split(' ').filter(Boolean).sort();
const ALG_AUDIENCES = JSON.parse(process.env.ALG_AUDIENCES || '{}');
const ALGS = ['ES256', 'EdDSA', 'RS256', 'PS256'];
const T = { timeout: 20_000 };

// http://127.0.0.1 in the tests: openid-client refuses plain HTTP unless told otherwise.
const insecure = { execute: [client.allowInsecureRequests], timeout: 10 };

async function discover(clientId, auth) {
  // algorithm 'oauth2': RFC 8414 metadata, /.well-known/oauth-authorization-server{issuer path}.
  return client.discovery(new URL(ISSUER), clientId, undefined, auth,
    { ...insecure, algorithm: 'oauth2' });
}

const jwksFor = new Map();
function remoteJwks(config) {
  const uri = config.serverMetadata().jwks_uri;
  if (!jwksFor.has(uri)) jwksFor.set(uri, jose.createRemoteJWKSet(new URL(uri)));
  return jwksFor.get(uri);
}

async function verifyLocally(config, token, audience = AUDIENCE, algorithms = ALGS) {
  return jose.jwtVerify(token, remoteJwks(config), {
    issuer: ISSUER, audience, typ: 'at+jwt', algorithms, requiredClaims: ['exp', 'iat', 'jti', 'sub'],
  });
}

async function verifyEndpoint(token, audience = AUDIENCE, scope) {
  const url = new URL(ISSUER + '/verify');
  url.searchParams.set('audience', audience);
  if (scope) url.searchParams.set('scope', scope);
  return fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
}

test('discovery finds every endpoint (RFC 8414)', T, async () => {
  const config = await discover(CLIENT_ID, client.ClientSecretBasic(CLIENT_SECRET));
  const m = config.serverMetadata();
  assert.equal(m.issuer, ISSUER);
  assert.equal(m.token_endpoint, `${ISSUER}/token`);
  assert.equal(m.introspection_endpoint, `${ISSUER}/introspect`);
  assert.equal(m.revocation_endpoint, `${ISSUER}/revoke`);
  assert.equal(m.jwks_uri, `${ISSUER}/jwks.json`);
  assert.equal(m.verify_endpoint, `${ISSUER}/verify`);
  assert.deepEqual(m.grant_types_supported, ['client_credentials']);
  assert.deepEqual([...m.token_endpoint_auth_methods_supported].sort(),
    ['client_secret_basic', 'client_secret_post']);
  // The same document at {issuer}/.well-known/oauth-authorization-server.
  const appended = await fetch(`${ISSUER}/.well-known/oauth-authorization-server`);
  assert.equal(appended.status, 200);
  assert.deepEqual(await appended.json(), { ...m });
});

test('client_credentials with client_secret_basic, verified locally by jose', T, async () => {
  const config = await discover(CLIENT_ID, client.ClientSecretBasic(CLIENT_SECRET));
  const tokens = await client.clientCredentialsGrant(config, { audience: AUDIENCE });
  assert.equal(tokens.token_type, 'bearer'); // oauth4webapi lower-cases "Bearer"
  assert.ok(tokens.expiresIn() > 0);
  if (SCOPES.length) assert.deepEqual(tokens.scope.split(' ').sort(), SCOPES);

  const { payload, protectedHeader } = await verifyLocally(config, tokens.access_token);
  assert.equal(protectedHeader.typ, 'at+jwt');
  assert.equal(protectedHeader.alg, 'ES256');
  assert.ok(protectedHeader.kid);
  assert.equal(payload.iss, ISSUER);
  assert.equal(payload.sub, CLIENT_ID);
  assert.equal(payload.client_id, CLIENT_ID);
  assert.ok(payload.aud === AUDIENCE || (Array.isArray(payload.aud) && payload.aud.includes(AUDIENCE)));
  assert.equal(payload.scope, tokens.scope);
  assert.equal(payload.exp - payload.iat, tokens.expires_in);
  assert.equal(typeof payload.jti, 'string');

  // The protected API's view: the verify endpoint accepts it and names the client.
  const r = await verifyEndpoint(tokens.access_token);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('x-gatehouse-client-id'), CLIENT_ID);
  assert.equal(r.headers.get('x-gatehouse-subject'), CLIENT_ID);
  assert.equal(r.headers.get('x-gatehouse-scope'), tokens.scope);
  assert.equal((await r.json()).jti, payload.jti);
});

test('resource (RFC 8707) and a scope subset', T, async () => {
  const config = await discover(CLIENT_ID, client.ClientSecretBasic(CLIENT_SECRET));
  const one = SCOPES[0];
  const params = { resource: AUDIENCE, ...(one ? { scope: one } : {}) };
  const tokens = await client.clientCredentialsGrant(config, params);
  const { payload } = await verifyLocally(config, tokens.access_token);
  if (one) assert.equal(payload.scope, one);
  if (one) {
    await assert.rejects(client.clientCredentialsGrant(config, { audience: AUDIENCE, scope: 'not:granted' }),
      (err) => err.error === 'invalid_scope' && err.status === 400);
  }
  await assert.rejects(client.clientCredentialsGrant(config, { audience: 'https://unknown.invalid' }),
    (err) => err.error === 'invalid_target' && err.status === 400);
});

test('jose refuses the wrong audience, the wrong issuer, a tampered token', T, async () => {
  const config = await discover(CLIENT_ID, client.ClientSecretBasic(CLIENT_SECRET));
  const { access_token: token } = await client.clientCredentialsGrant(config, { audience: AUDIENCE });
  await assert.rejects(verifyLocally(config, token, 'https://other.invalid'),
    (err) => err.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && err.claim === 'aud');
  await assert.rejects(jose.jwtVerify(token, remoteJwks(config), { issuer: ISSUER + '/x' }),
    (err) => err.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && err.claim === 'iss');
  await assert.rejects(jose.jwtVerify(token, remoteJwks(config), { typ: 'JWT' }),
    (err) => err.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  const [h, p, s] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'admin' })).toString('base64url');
  await assert.rejects(verifyLocally(config, `${h}.${forged}.${s}`),
    (err) => err.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  assert.equal((await verifyEndpoint(`${h}.${forged}.${s}`)).status, 401);
});

test('client_credentials with client_secret_post', { ...T, skip: !process.env.POST_CLIENT_ID }, async () => {
  const id = process.env.POST_CLIENT_ID;
  const config = await discover(id, client.ClientSecretPost(process.env.POST_CLIENT_SECRET));
  const tokens = await client.clientCredentialsGrant(config, { audience: AUDIENCE });
  const { payload } = await verifyLocally(config, tokens.access_token);
  assert.equal(payload.client_id, id);
  // The same client with the other method is refused: it is registered for post only.
  const basic = await discover(id, client.ClientSecretBasic(process.env.POST_CLIENT_SECRET));
  await assert.rejects(client.clientCredentialsGrant(basic, { audience: AUDIENCE }), (err) => err.status === 401);
});

test('every signing algorithm verifies with jose', { ...T, skip: !Object.keys(ALG_AUDIENCES).length }, async () => {
  const config = await discover(CLIENT_ID, client.ClientSecretBasic(CLIENT_SECRET));
  for (const [alg, audience] of Object.entries(ALG_AUDIENCES)) {
    const { access_token: token } = await client.clientCredentialsGrant(config, { audience });
    const { payload, protectedHeader } = await verifyLocally(config, token, audience, [alg]);
    assert.equal(protectedHeader.alg, alg, alg);
    assert.equal(protectedHeader.typ, 'at+jwt', alg);
    assert.equal(payload.sub, CLIENT_ID, alg);
    // A key of this alg is refused for any other alg (never trust the header's alg).
    await assert.rejects(verifyLocally(config, token, audience, ALGS.filter((a) => a !== alg)),
      (err) => err.code === 'ERR_JOSE_ALG_NOT_ALLOWED', alg);
  }
});

test('a wrong secret is 401 invalid_client', T, async () => {
  const config = await discover(CLIENT_ID, client.ClientSecretBasic('x'.repeat(43)));
  await assert.rejects(client.clientCredentialsGrant(config, { audience: AUDIENCE }), (err) => {
    // openid-client reports a 401 carrying WWW-Authenticate as a challenge error, else a body error.
    assert.equal(err.status, 401, String(err));
    if (err.error !== undefined) assert.equal(err.error, 'invalid_client');
    return true;
  });
});

test('introspection by the API and revocation by the client', { ...T, skip: !process.env.API_CLIENT_ID }, async () => {
  const consumer = await discover(CLIENT_ID, client.ClientSecretBasic(CLIENT_SECRET));
  const provider = await discover(process.env.API_CLIENT_ID,
    client.ClientSecretBasic(process.env.API_CLIENT_SECRET));
  const { access_token: token } = await client.clientCredentialsGrant(consumer, { audience: AUDIENCE });
  const { payload } = await verifyLocally(consumer, token);

  const active = await client.tokenIntrospection(provider, token);
  assert.equal(active.active, true);
  assert.equal(active.client_id, CLIENT_ID);
  assert.equal(active.sub, CLIENT_ID);
  assert.equal(active.iss, ISSUER);
  assert.equal(active.jti, payload.jti);
  assert.equal(active.exp, payload.exp);
  assert.equal(active.token_type.toLowerCase(), 'bearer');
  assert.equal(active.scope, payload.scope);

  await client.tokenRevocation(consumer, token);
  const after = await client.tokenIntrospection(provider, token);
  assert.deepEqual({ ...after }, { active: false });
  const r = await verifyEndpoint(token);
  assert.equal(r.status, 401);
  assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
  // Local verification cannot see a revocation: it only checks signature and claims.
  await verifyLocally(consumer, token);
  // Revoking an unknown token is fine (RFC 7009 2.2).
  await client.tokenRevocation(consumer, 'not-a-token');
});
