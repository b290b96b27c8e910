import { useState } from 'preact/hooks';
import { api, fetchMetadata, type Environment, type KeyState, type SigningKey } from '../api';
import { Button, ConfirmDialog, CopyButton, CopyField, EmptyState, ErrorPanel, Loading, formatDate, notify, useAsync } from '../ui';

// GET /api/v1/environments/{id}/keys and POST .../keys/rotate (optional {"alg"}).
// Every algorithm used by the environment's APIs has a current and a next key; rotation
// promotes next to current, demotes current to previous and creates a new next key.

export const KEY_STATES: { state: KeyState; label: string; text: string }[] = [
  { state: 'current', label: 'current', text: 'Signs new tokens.' },
  { state: 'next', label: 'next', text: 'Already published so that verifiers cache it; becomes current at the next rotation.' },
  { state: 'previous', label: 'previous', text: 'No longer signs; stays published until the tokens it signed have expired.' },
];
const ORDER: Record<string, number> = { current: 0, next: 1, previous: 2 };

function sortKeys(keys: SigningKey[]): SigningKey[] {
  return [...keys].sort(
    (a, b) =>
      a.alg.localeCompare(b.alg) ||
      (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) ||
      (b.retired_at ?? b.created_at ?? '').localeCompare(a.retired_at ?? a.created_at ?? ''),
  );
}

/** `abcdef12…9f3c` for long key IDs; the full value is in the title and the copy button. */
export function shortKid(kid: string): string {
  return kid.length > 16 ? `${kid.slice(0, 8)}…${kid.slice(-4)}` : kid;
}

function StateBadge({ state }: { state: string }) {
  return <span class={`badge badge--${state === 'current' ? 'ok' : state === 'next' ? 'next' : 'off'}`}>{state}</span>;
}

export function KeysTab({ env }: { env: Environment }) {
  const keys = useAsync(() => api.listKeys(env.id), [env.id]);
  const meta = useAsync(() => fetchMetadata(env), [env.id]);
  // null: closed; '': every algorithm; otherwise one algorithm
  const [rotating, setRotating] = useState<string | null>(null);
  const items = sortKeys(keys.data?.items ?? []);
  const algs = [...new Set(items.map((k) => k.alg))];

  return (
    <div class="stack">
      <div class="section-head">
        <div>
          <h2>Signing keys</h2>
          <p class="muted">
            The keys that sign this environment's access tokens, one set per signing algorithm used by its APIs. They are
            published at the environment's JWKS URI, where APIs fetch them to verify tokens.
          </p>
        </div>
        {items.length > 0 && (
          <Button variant="primary" onClick={() => setRotating('')}>
            Rotate all keys
          </Button>
        )}
      </div>
      {meta.data?.jwks_uri && <CopyField label="JWKS URI" name="jwks-uri" value={meta.data.jwks_uri} />}
      {keys.loading && !keys.data ? (
        <Loading label="Loading keys…" />
      ) : keys.error ? (
        <ErrorPanel error={keys.error} onRetry={keys.reload} />
      ) : items.length === 0 ? (
        <EmptyState title="No signing keys yet">
          Keys appear when you register an API: the environment gets a current and a next key for the API's signing
          algorithm.
        </EmptyState>
      ) : (
        <>
          {algs.length > 0 && (
            <div class="row" data-testid="rotate-per-alg">
              {algs.map((alg) => (
                <Button key={alg} small onClick={() => setRotating(alg)}>
                  Rotate {alg} keys
                </Button>
              ))}
            </div>
          )}
          <dl class="legend small" aria-label="Key states">
            {KEY_STATES.map((s) => (
              <div key={s.state}>
                <dt>
                  <StateBadge state={s.state} />
                </dt>
                <dd class="muted">{s.text}</dd>
              </div>
            ))}
          </dl>
          <div class="table-wrap">
            <table class="table" aria-label="Signing keys">
              <thead>
                <tr>
                  <th scope="col">Key ID</th>
                  <th scope="col">Algorithm</th>
                  <th scope="col">State</th>
                  <th scope="col">Created</th>
                  <th scope="col">Activated</th>
                  <th scope="col">Retired / published until</th>
                </tr>
              </thead>
              <tbody>
                {items.map((k) => (
                  <tr key={k.kid} data-testid="key-row" data-state={k.state} data-alg={k.alg}>
                    <td data-label="Key ID">
                      <span class="kid">
                        <code class="mono" title={k.kid} data-kid={k.kid}>
                          {shortKid(k.kid)}
                        </code>
                        <CopyButton text={k.kid} what={`key ID ${k.kid}`} />
                      </span>
                    </td>
                    <td data-label="Algorithm">{k.alg}</td>
                    <td data-label="State">
                      <StateBadge state={k.state} />
                    </td>
                    <td data-label="Created">{formatDate(k.created_at)}</td>
                    <td data-label="Activated">{k.activated_at ? formatDate(k.activated_at) : '—'}</td>
                    <td data-label="Retired / published until">
                      {k.retired_at ? (
                        <>
                          {formatDate(k.retired_at)}
                          {k.expires_at && <span class="muted small block">published until {formatDate(k.expires_at)}</span>}
                        </>
                      ) : k.expires_at ? (
                        formatDate(k.expires_at)
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <ConfirmDialog
        open={rotating !== null}
        title={rotating ? `Rotate ${rotating} keys` : 'Rotate all signing keys'}
        body={
          <div class="stack">
            <p>
              {rotating ? `For ${rotating}, the` : 'For every algorithm in use, the'} <strong>next</strong> key becomes{' '}
              <strong>current</strong> and signs new tokens from now on, and a new next key is created.
            </p>
            <p>
              The old current key becomes <strong>previous</strong>: it stays published at the JWKS URI until the tokens
              it signed have expired, so tokens already issued keep verifying. Nothing has to change in your APIs or
              clients.
            </p>
          </div>
        }
        confirmLabel={rotating ? `Rotate ${rotating} keys` : 'Rotate all keys'}
        onClose={() => setRotating(null)}
        onConfirm={async () => {
          const res = await api.rotateKeys(env.id, rotating || undefined);
          notify(rotating ? `${rotating} keys rotated.` : 'Signing keys rotated.');
          keys.setData(res);
        }}
      />
    </div>
  );
}
