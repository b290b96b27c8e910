// Ready-to-paste code that gets an access token with the client_credentials grant.
// Every snippet is a complete program for the given client, secret and audience.

import type { AuthMethod } from './api';

export interface SnippetInput {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  audience: string;
  scopes?: string[]; // omitted: every scope granted for that API
  authMethod: AuthMethod;
}

/** POSIX shell single-quoting. */
export function shq(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const js = (s: string) => JSON.stringify(s);
const py = (s: string) => JSON.stringify(s); // JSON string literals are valid Python literals for these values

export function curlSnippet(i: SnippetInput): string {
  const lines = [`curl -sS -X POST ${shq(i.tokenEndpoint)}`];
  if (i.authMethod === 'client_secret_post') {
    lines.push(`--data-urlencode ${shq(`client_id=${i.clientId}`)}`);
    lines.push(`--data-urlencode ${shq(`client_secret=${i.clientSecret}`)}`);
  } else {
    lines.push(`-u ${shq(`${i.clientId}:${i.clientSecret}`)}`);
  }
  lines.push('-d grant_type=client_credentials');
  lines.push(`--data-urlencode ${shq(`audience=${i.audience}`)}`);
  if (i.scopes && i.scopes.length) lines.push(`--data-urlencode ${shq(`scope=${i.scopes.join(' ')}`)}`);
  return lines.join(' \\\n  ');
}

export function pythonSnippet(i: SnippetInput): string {
  const data = [`"grant_type": "client_credentials"`, `"audience": ${py(i.audience)}`];
  if (i.scopes && i.scopes.length) data.push(`"scope": ${py(i.scopes.join(' '))}`);
  let auth = '';
  if (i.authMethod === 'client_secret_post') {
    data.push(`"client_id": ${py(i.clientId)}`, `"client_secret": ${py(i.clientSecret)}`);
  } else {
    auth = `    auth=(${py(i.clientId)}, ${py(i.clientSecret)}),\n`;
  }
  return `# pip install requests
import requests

resp = requests.post(
    ${py(i.tokenEndpoint)},
${auth}    data={${data.join(', ')}},
    timeout=10,
)
resp.raise_for_status()
token = resp.json()["access_token"]
print(token)
`;
}

export function nodeSnippet(i: SnippetInput): string {
  const params = [`grant_type: "client_credentials"`, `audience: ${js(i.audience)}`];
  if (i.scopes && i.scopes.length) params.push(`scope: ${js(i.scopes.join(' '))}`);
  const headers = [`"Content-Type": "application/x-www-form-urlencoded"`];
  if (i.authMethod === 'client_secret_post') {
    params.push(`client_id: ${js(i.clientId)}`, `client_secret: ${js(i.clientSecret)}`);
  } else {
    headers.push(
      `Authorization: "Basic " + Buffer.from(${js(i.clientId)} + ":" + ${js(i.clientSecret)}).toString("base64")`,
    );
  }
  return `// Node.js 18 or later; save as token.mjs and run: node token.mjs
const res = await fetch(${js(i.tokenEndpoint)}, {
  method: "POST",
  headers: {
    ${headers.join(',\n    ')},
  },
  body: new URLSearchParams({ ${params.join(', ')} }),
});
if (!res.ok) throw new Error(\`token request failed: \${res.status} \${await res.text()}\`);
const { access_token } = await res.json();
console.log(access_token);
`;
}
