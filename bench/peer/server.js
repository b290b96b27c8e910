// The peer for `make bench`: node oidc-provider configured like Gatehouse's token endpoint:
// client_credentials with client_secret_basic, and ES256-signed JWT access tokens (RFC 9068)
// for one resource indicator (RFC 8707). One Node.js process, as it is usually run.
// Usage: node server.js PORT CLIENT_ID CLIENT_SECRET RESOURCE
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, resource] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'read write',
    id_token_signed_response_alg: 'ES256',
  }],
  jwks: { keys: [{ ...jwk, alg: 'ES256', use: 'sig', kid: 'bench-es256' }] },
  scopes: ['read', 'write'],
  cookies: { keys: ['bench-only-cookie-key'] },
  ttl: { ClientCredentials: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, indicator) => {
        if (indicator !== resource) throw new Error('unknown resource');
        return {
          scope: 'read write',
          audience: resource,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        };
      },
    },
  },
});
provider.proxy = false;
const server = provider.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`oidc-provider listening on ${issuer}\n`);
});
server.keepAliveTimeout = 60_000;
