import { useState } from 'preact/hooks';
import { api, SIGNING_ALGS, type Api, type Environment, type Scope, type SigningAlg } from '../api';
import {
  Button,
  ConfirmDialog,
  CopyField,
  Dialog,
  EmptyState,
  ErrorPanel,
  Field,
  FormError,
  Loading,
  formatDuration,
  notify,
  useAsync,
  useFormErrors,
} from '../ui';

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function ApisTab({ env }: { env: Environment }) {
  const apis = useAsync(() => api.listApis(env.id), [env.id]);
  const [editing, setEditing] = useState<Api | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Api | null>(null);
  const [created, setCreated] = useState<Api | null>(null);

  return (
    <div class="stack">
      <div class="section-head">
        <div>
          <h2>APIs</h2>
          <p class="muted">The resource servers you protect. Each API's identifier is the audience of its tokens.</p>
        </div>
        <Button variant="primary" onClick={() => setEditing('new')}>
          Register API
        </Button>
      </div>

      {apis.loading && !apis.data ? (
        <Loading label="Loading APIs…" />
      ) : apis.error ? (
        <ErrorPanel error={apis.error} onRetry={apis.reload} />
      ) : apis.data!.length === 0 ? (
        <EmptyState
          title="No APIs in this environment"
          action={
            <Button variant="primary" onClick={() => setEditing('new')}>
              Register your first API
            </Button>
          }
        >
          Register the API you want to protect, with its scopes (for example <code>read:orders</code>). Then create
          a client and grant it some of those scopes.
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table" aria-label="APIs">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Identifier (audience)</th>
                <th scope="col">Scopes</th>
                <th scope="col">Token lifetime</th>
                <th scope="col">Algorithm</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {apis.data!.map((a) => (
                <tr key={a.id} data-testid="api-row">
                  <td data-label="Name">
                    <strong>{a.name}</strong>
                  </td>
                  <td data-label="Identifier" class="mono break">
                    {a.identifier}
                  </td>
                  <td data-label="Scopes">
                    <div class="chips">
                      {a.scopes.length === 0 && <span class="muted">none</span>}
                      {a.scopes.map((s) => (
                        <span key={s.name} class="chip mono" title={s.description}>
                          {s.name}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td data-label="Lifetime">{formatDuration(a.token_lifetime)}</td>
                  <td data-label="Algorithm">{a.signing_alg}</td>
                  <td class="table__actions">
                    <Button small onClick={() => setEditing(a)}>
                      Edit
                      <span class="sr-only"> {a.name}</span>
                    </Button>
                    <Button small variant="ghost" class="text-danger" onClick={() => setDeleting(a)}>
                      Delete
                      <span class="sr-only"> {a.name}</span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <ApiDialog
        env={env}
        api_={editing}
        onClose={() => setEditing(null)}
        onSaved={(a, isNew) => {
          setEditing(null);
          apis.reload();
          if (isNew) setCreated(a);
          else notify(`API “${a.name}” saved.`);
        }}
      />

      <Dialog open={!!created} title="API registered" onClose={() => setCreated(null)}>
        {created && (
          <div class="stack" data-testid="api-credentials">
            <p>
              <strong>{created.name}</strong> is protected. These credentials let the API itself call the
              introspection endpoint for tokens whose audience is <code>{created.identifier}</code>.
            </p>
            {created.credentials ? (
              <>
                <CopyField label="Client ID" name="api-client-id" value={created.credentials.client_id} />
                {created.credentials.client_secret && (
                  <>
                    <CopyField label="Client secret" name="api-client-secret" value={created.credentials.client_secret} secret />
                    <div class="alert alert--warn" role="note">
                      Copy the secret now: <strong>you will not see it again</strong>.
                    </div>
                  </>
                )}
              </>
            ) : (
              <p class="muted">The server returned no credentials for this API.</p>
            )}
            <div class="actions">
              <Button variant="primary" onClick={() => setCreated(null)}>
                Done
              </Button>
            </div>
          </div>
        )}
      </Dialog>

      <ConfirmDialog
        open={!!deleting}
        title="Delete API"
        body={
          <p>
            Delete <strong>{deleting?.name}</strong> (<code>{deleting?.identifier}</code>)? Clients lose their grants to
            it and can no longer get tokens for it.
          </p>
        }
        confirmLabel="Delete API"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await api.deleteApi(env.id, deleting!.id);
          notify(`API “${deleting!.name}” deleted.`);
          apis.reload();
        }}
      />
    </div>
  );
}

interface ScopeRow extends Scope {
  key: number;
}
let scopeKey = 0;

function ApiDialog({
  env,
  api_,
  onClose,
  onSaved,
}: {
  env: Environment;
  api_: Api | 'new' | null;
  onClose: () => void;
  onSaved: (a: Api, isNew: boolean) => void;
}) {
  const isNew = api_ === 'new';
  return (
    <Dialog open={!!api_} title={isNew ? 'Register API' : 'Edit API'} onClose={onClose} wide>
      {api_ && <ApiForm key={isNew ? 'new' : api_.id} env={env} existing={isNew ? undefined : api_} onCancel={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function ApiForm({
  env,
  existing,
  onCancel,
  onSaved,
}: {
  env: Environment;
  existing?: Api;
  onCancel: () => void;
  onSaved: (a: Api, isNew: boolean) => void;
}) {
  const [name, setName] = useState(existing?.name ?? '');
  const [identifier, setIdentifier] = useState(existing?.identifier ?? '');
  const [scopes, setScopes] = useState<ScopeRow[]>(
    existing
      ? existing.scopes.map((s) => ({ ...s, key: ++scopeKey }))
      : [{ name: '', description: '', key: ++scopeKey }],
  );
  const [lifetime, setLifetime] = useState(String(existing?.token_lifetime ?? 3600));
  const [alg, setAlg] = useState<SigningAlg>(existing?.signing_alg ?? 'ES256');
  const [busy, setBusy] = useState(false);
  const fields = ['name', 'identifier', 'scopes', 'token_lifetime', 'signing_alg', ...scopes.map((_, i) => `scopes.${i}.name`), ...scopes.map((_, i) => `scopes.${i}.description`)];
  const f = useFormErrors(fields);

  const updateScope = (i: number, patch: Partial<Scope>) => setScopes((cur) => cur.map((s, j) => (j === i ? { ...s, ...patch } : s)));

  async function submit(e: Event) {
    e.preventDefault();
    f.clear();
    const errs: Record<string, string> = {};
    const n = name.trim();
    if (n.length < 1 || n.length > 100) errs.name = 'Enter a name of 1 to 100 characters.';
    if (!existing && !identifier.trim()) errs.identifier = 'Enter the identifier (audience), usually the API’s base URL.';
    const rows = scopes.filter((s) => s.name.trim() || (s.description ?? '').trim());
    const seen = new Set<string>();
    rows.forEach((s) => {
      const i = scopes.indexOf(s);
      const sn = s.name.trim();
      if (!sn) errs[`scopes.${i}.name`] = 'Enter a scope name, or remove this row.';
      else if (!SCOPE_TOKEN.test(sn)) errs[`scopes.${i}.name`] = 'A scope name has no spaces, quotes or backslashes (RFC 6749 scope-token).';
      else if (seen.has(sn)) errs[`scopes.${i}.name`] = 'This scope is already listed.';
      seen.add(sn);
    });
    const lt = Number(lifetime);
    if (!Number.isInteger(lt) || lt < 1 || lt > 86400) errs.token_lifetime = 'Enter a whole number of seconds from 1 to 86400.';
    if (Object.keys(errs).length) return f.set(errs);

    const body: Partial<Api> = {
      name: n,
      scopes: rows.map((s) => ({ name: s.name.trim(), description: (s.description ?? '').trim() })),
      token_lifetime: lt,
      signing_alg: alg,
    };
    if (!existing) body.identifier = identifier.trim();
    setBusy(true);
    try {
      const saved = existing ? await api.updateApi(env.id, existing.id, body) : await api.createApi(env.id, body);
      onSaved(saved, !existing);
    } catch (err) {
      // The server may name a scope by its index among the submitted (non-empty) rows.
      f.fromError(remapScopeField(err, rows, scopes));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form noValidate onSubmit={submit} class="stack">
      <div class="grid2">
        <Field label="Name" name="name" error={f.errors.name}>
          {(a) => <input {...a} value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="Orders API" />}
        </Field>
        <Field
          label="Identifier (audience)"
          name="identifier"
          error={f.errors.identifier}
          hint={existing ? 'The identifier cannot be changed: tokens and grants refer to it.' : 'Usually the API’s URL, e.g. https://api.example.com/orders'}
        >
          {(a) => (
            <input
              {...a}
              class="mono"
              value={identifier}
              disabled={!!existing}
              onInput={(e) => setIdentifier(e.currentTarget.value)}
              placeholder="https://api.example.com/orders"
              spellcheck={false}
            />
          )}
        </Field>
      </div>

      <fieldset class="scopes" aria-describedby="scopes-hint">
        <legend>Scopes</legend>
        <p id="scopes-hint" class="field__hint">
          Permissions clients can be granted, e.g. <code>read:orders</code>. No spaces.
        </p>
        {f.errors.scopes && (
          <p class="field__error" role="alert" data-error-for="scopes" data-field="scopes" tabIndex={-1}>
            {f.errors.scopes}
          </p>
        )}
        <ul class="scopes__list">
          {scopes.map((s, i) => (
            <li key={s.key} class="scopes__row">
              <Field label={`Scope ${i + 1} name`} name={`scopes.${i}.name`} error={f.errors[`scopes.${i}.name`]} class="scopes__name">
                {(a) => (
                  <input {...a} class="mono" value={s.name} onInput={(e) => updateScope(i, { name: e.currentTarget.value })} placeholder="read:orders" spellcheck={false} />
                )}
              </Field>
              <Field label={`Scope ${i + 1} description`} name={`scopes.${i}.description`} error={f.errors[`scopes.${i}.description`]} class="scopes__desc">
                {(a) => (
                  <input {...a} value={s.description ?? ''} onInput={(e) => updateScope(i, { description: e.currentTarget.value })} placeholder="Read orders" />
                )}
              </Field>
              <Button
                small
                variant="ghost"
                class="scopes__remove"
                aria-label={`Remove scope ${i + 1}${s.name ? ` (${s.name})` : ''}`}
                onClick={() => setScopes((cur) => cur.filter((_, j) => j !== i))}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
        <Button small onClick={() => setScopes((cur) => [...cur, { name: '', description: '', key: ++scopeKey }])}>
          Add scope
        </Button>
      </fieldset>

      <div class="grid2">
        <Field label="Token lifetime (seconds)" name="token_lifetime" error={f.errors.token_lifetime} hint="1 to 86400 (one day). Default 3600.">
          {(a) => <input {...a} type="number" inputMode="numeric" min={1} max={86400} value={lifetime} onInput={(e) => setLifetime(e.currentTarget.value)} />}
        </Field>
        <Field label="Signing algorithm" name="signing_alg" error={f.errors.signing_alg}>
          {(a) => (
            <select {...a} value={alg} onChange={(e) => setAlg(e.currentTarget.value as SigningAlg)}>
              {SIGNING_ALGS.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <FormError message={f.formError} />
      <div class="actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>
          {existing ? 'Save API' : 'Register API'}
        </Button>
      </div>
    </form>
  );
}

function remapScopeField(err: unknown, sent: ScopeRow[], all: ScopeRow[]): unknown {
  const e = err as { field?: string };
  const m = e?.field?.match(/^scopes[[.](\d+)\]?(.*)$/);
  if (!m) return err;
  const row = sent[Number(m[1])];
  if (!row) return err;
  const idx = all.indexOf(row);
  const rest = m[2].replace(/^\./, '') || 'name';
  Object.assign(e, { field: `scopes.${idx}.${rest}` });
  return err;
}
