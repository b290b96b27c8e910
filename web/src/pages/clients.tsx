import { useEffect, useId, useState } from 'preact/hooks';
import {
  api,
  AUTH_METHODS,
  envEndpoints,
  type Api,
  type AuthMethod,
  type Client,
  type Environment,
  type Grant,
  type SecretRotation,
} from '../api';
import { curlSnippet, nodeSnippet, pythonSnippet, type SnippetInput } from '../snippets';
import {
  Button,
  ConfirmDialog,
  CopyButton,
  CopyField,
  Dialog,
  EmptyState,
  ErrorPanel,
  Field,
  FormError,
  Loading,
  formatDate,
  notify,
  toApiError,
  useAsync,
  useFormErrors,
} from '../ui';

export function ClientsTab({ env }: { env: Environment }) {
  const data = useAsync(async () => {
    const [clients, apis] = await Promise.all([api.listClients(env.id), api.listApis(env.id)]);
    return { clients, apis };
  }, [env.id]);
  const [editing, setEditing] = useState<Client | 'new' | null>(null);
  const [created, setCreated] = useState<Client | null>(null);
  const [rotating, setRotating] = useState<Client | null>(null);
  const [revoking, setRevoking] = useState<Client | null>(null);
  const [deleting, setDeleting] = useState<Client | null>(null);
  const apis = data.data?.apis ?? [];

  return (
    <div class="stack">
      <div class="section-head">
        <div>
          <h2>Clients</h2>
          <p class="muted">The programs that call your APIs. Each gets credentials and a set of granted scopes.</p>
        </div>
        <Button variant="primary" onClick={() => setEditing('new')} disabled={!data.data}>
          Create client
        </Button>
      </div>

      {data.loading && !data.data ? (
        <Loading label="Loading clients…" />
      ) : data.error ? (
        <ErrorPanel error={data.error} onRetry={data.reload} />
      ) : data.data!.clients.length === 0 ? (
        <EmptyState
          title="No clients yet"
          action={
            <Button variant="primary" onClick={() => setEditing('new')}>
              Create a client
            </Button>
          }
        >
          {apis.length === 0
            ? 'Register an API first (APIs tab), then create a client for each program that calls it.'
            : 'Create a client for each program that calls your APIs, and grant it the scopes it needs.'}
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table" aria-label="Clients">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client ID</th>
                <th scope="col">Grants</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.data!.clients.map((c) => (
                <tr key={c.id} data-testid="client-row">
                  <td data-label="Name">
                    <strong>{c.name}</strong>
                    {c.description && <div class="small muted">{c.description}</div>}
                  </td>
                  <td data-label="Client ID" class="mono break">
                    {c.client_id}
                  </td>
                  <td data-label="Grants">
                    <GrantSummary grants={c.grants} apis={apis} />
                  </td>
                  <td data-label="Status">
                    <span class={`badge ${c.enabled ? 'badge--ok' : 'badge--off'}`}>{c.enabled ? 'Enabled' : 'Disabled'}</span>
                    {c.tokens_revoked_at && <div class="small muted">Tokens revoked {formatDate(c.tokens_revoked_at)}</div>}
                  </td>
                  <td class="table__actions">
                    <Button small onClick={() => setEditing(c)}>
                      Edit
                      <span class="sr-only"> {c.name}</span>
                    </Button>
                    <Button small onClick={() => setRotating(c)}>
                      Rotate secret
                      <span class="sr-only"> of {c.name}</span>
                    </Button>
                    <Button small variant="ghost" onClick={() => setRevoking(c)}>
                      Revoke tokens
                      <span class="sr-only"> of {c.name}</span>
                    </Button>
                    <Button small variant="ghost" class="text-danger" onClick={() => setDeleting(c)}>
                      Delete
                      <span class="sr-only"> {c.name}</span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Dialog open={!!editing} title={editing === 'new' ? 'Create client' : 'Edit client'} onClose={() => setEditing(null)} wide>
        {editing && (
          <ClientForm
            key={editing === 'new' ? 'new' : editing.id}
            env={env}
            apis={apis}
            existing={editing === 'new' ? undefined : editing}
            onCancel={() => setEditing(null)}
            onSaved={(c, isNew) => {
              setEditing(null);
              data.reload();
              if (isNew) setCreated(c);
              else notify(`Client “${c.name}” saved.`);
            }}
          />
        )}
      </Dialog>

      <Dialog open={!!created} title="Client created: connection details" onClose={() => setCreated(null)} wide>
        {created && (
          <ConnectionDetails env={env} client={created} secret={created.client_secret} onDone={() => setCreated(null)} />
        )}
      </Dialog>

      <RotateDialog env={env} client={rotating} onClose={() => setRotating(null)} />

      <ConfirmDialog
        open={!!revoking}
        title="Revoke all tokens"
        body={
          <p>
            Every token issued to <strong>{revoking?.name}</strong> so far stops verifying now. The client can still get
            new tokens with its secret.
          </p>
        }
        confirmLabel="Revoke all tokens"
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          await api.revokeTokens(env.id, revoking!.id);
          notify(`All tokens of “${revoking!.name}” revoked.`);
          data.reload();
        }}
      />

      <ConfirmDialog
        open={!!deleting}
        title="Delete client"
        body={
          <p>
            Delete <strong>{deleting?.name}</strong>? Its secret stops working and its tokens stop verifying.
          </p>
        }
        confirmLabel="Delete client"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await api.deleteClient(env.id, deleting!.id);
          notify(`Client “${deleting!.name}” deleted.`);
          data.reload();
        }}
      />
    </div>
  );
}

function GrantSummary({ grants, apis }: { grants: Grant[]; apis: Api[] }) {
  if (!grants.length) return <span class="muted">No grants</span>;
  return (
    <ul class="grants">
      {grants.map((g) => {
        const a = apis.find((x) => x.identifier === g.api);
        return (
          <li key={g.api}>
            <span class="grants__api">{a ? a.name : g.api}</span>{' '}
            <span class="chips chips--inline">
              {g.scopes.length === 0 && <span class="muted small">no scopes</span>}
              {g.scopes.map((s) => (
                <span key={s} class="chip mono">
                  {s}
                </span>
              ))}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function ClientForm({
  env,
  apis,
  existing,
  onCancel,
  onSaved,
}: {
  env: Environment;
  apis: Api[];
  existing?: Client;
  onCancel: () => void;
  onSaved: (c: Client, isNew: boolean) => void;
}) {
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [method, setMethod] = useState<AuthMethod>(existing?.token_endpoint_auth_method ?? 'client_secret_basic');
  const [enabled, setEnabled] = useState(existing?.enabled ?? true);
  // grants keyed by API identifier
  const [grants, setGrants] = useState<Record<string, string[]>>(() =>
    Object.fromEntries((existing?.grants ?? []).map((g) => [g.api, [...g.scopes]])),
  );
  const [busy, setBusy] = useState(false);
  const f = useFormErrors(['name', 'description', 'token_endpoint_auth_method', 'enabled', 'grants']);

  const toggleApi = (a: Api, on: boolean) =>
    setGrants((cur) => {
      const next = { ...cur };
      if (on) next[a.identifier] = a.scopes.map((s) => s.name);
      else delete next[a.identifier];
      return next;
    });
  const toggleScope = (a: Api, scope: string, on: boolean) =>
    setGrants((cur) => {
      const have = cur[a.identifier] ?? [];
      const scopes = on ? [...have.filter((s) => s !== scope), scope] : have.filter((s) => s !== scope);
      // keep the API's own scope order
      const ordered = a.scopes.map((s) => s.name).filter((s) => scopes.includes(s));
      return { ...cur, [a.identifier]: ordered };
    });

  async function submit(e: Event) {
    e.preventDefault();
    f.clear();
    const n = name.trim();
    if (n.length < 1 || n.length > 100) return f.set({ name: 'Enter a name of 1 to 100 characters.' });
    const empty = Object.entries(grants).find(([, scopes]) => scopes.length === 0);
    if (empty) {
      const a = apis.find((x) => x.identifier === empty[0]);
      return f.set({ grants: `Pick at least one scope of ${a?.name ?? empty[0]}, or untick that API.` });
    }
    const body: Partial<Client> = {
      name: n,
      description: description.trim(),
      token_endpoint_auth_method: method,
      grants: Object.entries(grants).map(([apiId, scopes]) => ({ api: apiId, scopes })),
    };
    if (existing) body.enabled = enabled;
    setBusy(true);
    try {
      const saved = existing ? await api.updateClient(env.id, existing.id, body) : await api.createClient(env.id, body);
      onSaved(saved, !existing);
    } catch (err) {
      f.fromError(err);
    } finally {
      setBusy(false);
    }
  }

  // grants the client has for APIs that no longer exist in this environment
  const orphan = Object.keys(grants).filter((id) => !apis.some((a) => a.identifier === id));

  return (
    <form noValidate onSubmit={submit} class="stack">
      <div class="grid2">
        <Field label="Name" name="name" error={f.errors.name}>
          {(a) => <input {...a} value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="Billing worker" />}
        </Field>
        <Field
          label="Client authentication"
          name="token_endpoint_auth_method"
          error={f.errors.token_endpoint_auth_method}
          hint="How the client sends its secret to the token endpoint."
        >
          {(a) => (
            <select {...a} value={method} onChange={(e) => setMethod(e.currentTarget.value as AuthMethod)}>
              {AUTH_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m === 'client_secret_basic' ? 'client_secret_basic (HTTP Basic)' : 'client_secret_post (form body)'}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label="Description (optional)" name="description" error={f.errors.description}>
        {(a) => <textarea {...a} rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
      </Field>
      {existing && (
        <label class="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} data-field="enabled" />
          <span>Enabled (a disabled client cannot get tokens, and its tokens stop verifying)</span>
        </label>
      )}

      <fieldset class="grantsel">
        <legend>Grants</legend>
        <p class="field__hint">Pick the APIs this client may call and the scopes it gets for each.</p>
        {f.errors.grants && (
          <p class="field__error" role="alert" data-error-for="grants" data-field="grants" tabIndex={-1}>
            {f.errors.grants}
          </p>
        )}
        {apis.length === 0 && <p class="muted">This environment has no API yet. Register one in the APIs tab.</p>}
        <ul class="grantsel__list">
          {apis.map((a) => {
            const on = a.identifier in grants;
            return (
              <li key={a.id} class={`grantsel__api ${on ? 'is-on' : ''}`}>
                <label class="check">
                  <input type="checkbox" checked={on} onChange={(e) => toggleApi(a, e.currentTarget.checked)} data-grant-api={a.identifier} />
                  <span>
                    <strong>{a.name}</strong> <span class="mono small muted">{a.identifier}</span>
                  </span>
                </label>
                {on && (
                  <div class="grantsel__scopes" role="group" aria-label={`Scopes of ${a.name}`}>
                    {a.scopes.length === 0 && <span class="muted small">This API has no scopes.</span>}
                    {a.scopes.map((s) => (
                      <label key={s.name} class="check check--chip" title={s.description}>
                        <input
                          type="checkbox"
                          checked={grants[a.identifier].includes(s.name)}
                          onChange={(e) => toggleScope(a, s.name, e.currentTarget.checked)}
                          data-grant-scope={`${a.identifier} ${s.name}`}
                        />
                        <span class="mono">{s.name}</span>
                      </label>
                    ))}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        {orphan.length > 0 && (
          <p class="small muted">
            Also granted (API not found in this environment): {orphan.map((o) => <code key={o}>{o} </code>)}
          </p>
        )}
      </fieldset>

      <FormError message={f.formError} />
      <div class="actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>
          {existing ? 'Save client' : 'Create client'}
        </Button>
      </div>
    </form>
  );
}

/** The panel a provider hands to the consumer: credentials, endpoints, and working snippets. */
export function ConnectionDetails({
  env,
  client,
  secret,
  onDone,
}: {
  env: Environment;
  client: Client;
  secret?: string;
  onDone: () => void;
}) {
  const ep = envEndpoints(env);
  const [aud, setAud] = useState(client.grants[0]?.api ?? '');
  const [lang, setLang] = useState<'curl' | 'python' | 'node'>('curl');
  const audId = useId();
  const grant = client.grants.find((g) => g.api === aud);
  const input: SnippetInput = {
    tokenEndpoint: ep.token,
    clientId: client.client_id,
    clientSecret: secret ?? '<CLIENT_SECRET>',
    audience: aud || '<AUDIENCE>',
    authMethod: client.token_endpoint_auth_method,
  };
  const code = lang === 'curl' ? curlSnippet(input) : lang === 'python' ? pythonSnippet(input) : nodeSnippet(input);

  return (
    <div class="stack" data-testid="connection-details">
      <p>
        Share these details with the developers of <strong>{client.name}</strong>.
      </p>
      <div class="grid2">
        <CopyField label="Client ID" name="client-id" value={client.client_id} />
        {secret && <CopyField label="Client secret" name="client-secret" value={secret} secret />}
      </div>
      {secret && (
        <div class="alert alert--warn" role="note">
          Copy the client secret now: <strong>you will not see it again</strong>. Gatehouse stores only a hash of it.
        </div>
      )}
      <div class="grid2">
        <CopyField label="Token endpoint" name="token-endpoint" value={ep.token} />
        <CopyField label="Issuer" name="conn-issuer" value={ep.issuer} />
      </div>
      {client.grants.length === 0 ? (
        <div class="alert">This client has no grants yet: edit it to grant it an API before it can get tokens.</div>
      ) : (
        <div class="grid2">
          {client.grants.length > 1 ? (
            <div class="field">
              <label for={audId}>Audience (API)</label>
              <select id={audId} value={aud} onChange={(e) => setAud(e.currentTarget.value)}>
                {client.grants.map((g) => (
                  <option key={g.api} value={g.api}>
                    {g.api}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <CopyField label="Audience" name="audience" value={aud} />
          )}
          <div class="field">
            <span class="label">Granted scopes</span>
            <div class="chips" data-testid="granted-scopes">
              {(grant?.scopes ?? []).map((s) => (
                <span key={s} class="chip mono">
                  {s}
                </span>
              ))}
              {grant && grant.scopes.length === 0 && <span class="muted">none</span>}
            </div>
          </div>
        </div>
      )}

      <div class="snippets">
        <div class="snippets__bar">
          <div class="segmented" role="tablist" aria-label="Snippet language">
            {(['curl', 'python', 'node'] as const).map((l) => (
              <button
                key={l}
                type="button"
                role="tab"
                aria-selected={lang === l}
                class={`segmented__btn ${lang === l ? 'is-active' : ''}`}
                onClick={() => setLang(l)}
                onKeyDown={(e) => {
                  const order = ['curl', 'python', 'node'] as const;
                  const i = order.indexOf(l);
                  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                    const n = order[(i + (e.key === 'ArrowRight' ? 1 : 2)) % 3];
                    setLang(n);
                    (e.currentTarget.parentElement?.querySelector(`[data-lang="${n}"]`) as HTMLElement | null)?.focus();
                  }
                }}
                data-lang={l}
                tabIndex={lang === l ? 0 : -1}
              >
                {l === 'curl' ? 'curl' : l === 'python' ? 'Python' : 'Node.js'}
              </button>
            ))}
          </div>
          <CopyButton text={code} what={`${lang} snippet`} />
        </div>
        <pre class="code" role="tabpanel" tabIndex={0} aria-label={`${lang} snippet`} data-testid="snippet">
          <code>{code}</code>
        </pre>
      </div>
      <div class="actions">
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

const GRACE_OPTIONS = [
  { v: 0, l: 'None: the current secret stops working now' },
  { v: 300, l: '5 minutes' },
  { v: 3600, l: '1 hour' },
  { v: 86400, l: '24 hours' },
  { v: 604800, l: '7 days' },
];

function RotateDialog({ env, client, onClose }: { env: Environment; client: Client | null; onClose: () => void }) {
  const [ttl, setTtl] = useState(3600);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [result, setResult] = useState<SecretRotation | null>(null);
  const selId = useId();
  useEffect(() => {
    if (client) {
      setTtl(3600);
      setResult(null);
      setError(undefined);
    }
  }, [client?.id]);

  return (
    <Dialog open={!!client} title={result ? 'New client secret' : 'Rotate client secret'} onClose={onClose} wide={!!result}>
      {client &&
        (result ? (
          <ConnectionDetails env={env} client={{ ...client, client_id: result.client_id || client.client_id }} secret={result.client_secret} onDone={onClose} />
        ) : (
          <form
            noValidate
            class="stack"
            onSubmit={async (e) => {
              e.preventDefault();
              setBusy(true);
              setError(undefined);
              try {
                const r = await api.rotateSecret(env.id, client.id, ttl);
                setResult(r);
                notify(
                  r.previous_secret_expires_at
                    ? `New secret issued. The previous one works until ${formatDate(r.previous_secret_expires_at)}.`
                    : 'New secret issued. The previous one no longer works.',
                );
              } catch (err) {
                setError(toApiError(err).message);
              } finally {
                setBusy(false);
              }
            }}
          >
            <p>
              Issue a new secret for <strong>{client.name}</strong>. Keep the current one valid for a grace period
              so the consumer can switch without downtime; any older secret stops working now.
            </p>
            <div class="field">
              <label for={selId}>Grace period for the current secret</label>
              <select id={selId} value={String(ttl)} onChange={(e) => setTtl(Number(e.currentTarget.value))}>
                {GRACE_OPTIONS.map((o) => (
                  <option key={o.v} value={String(o.v)}>
                    {o.l}
                  </option>
                ))}
              </select>
            </div>
            <FormError message={error} />
            <div class="actions">
              <Button onClick={onClose}>Cancel</Button>
              <Button type="submit" variant="primary" busy={busy}>
                Rotate secret
              </Button>
            </div>
          </form>
        ))}
    </Dialog>
  );
}
