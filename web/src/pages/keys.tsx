import { useState } from 'preact/hooks';
import { api, type Environment } from '../api';
import { Button, ConfirmDialog, EmptyState, ErrorPanel, Loading, formatDate, notify, useAsync } from '../ui';

// HOOK (token service issue): GET /api/v1/environments/{id}/keys and POST .../keys/rotate.
// Until the server has them they answer 404, and this tab shows an empty state.
export function KeysTab({ env }: { env: Environment }) {
  const keys = useAsync(() => api.listKeys(env.id), [env.id]);
  const [rotating, setRotating] = useState(false);
  const missing = keys.error?.status === 404;

  return (
    <div class="stack">
      <div class="section-head">
        <div>
          <h2>Signing keys</h2>
          <p class="muted">
            The keys that sign this environment's tokens, published at its JWKS URI. Rotation adds a new key and
            keeps the old one published until the tokens it signed have expired.
          </p>
        </div>
        {!missing && (
          <Button variant="primary" onClick={() => setRotating(true)} disabled={!keys.data}>
            Rotate keys
          </Button>
        )}
      </div>
      {keys.loading && !keys.data ? (
        <Loading label="Loading keys…" />
      ) : missing ? (
        <EmptyState title="Signing keys are not available yet">
          This Gatehouse server does not expose key management yet. Keys are created automatically when the
          token service issues its first token.
        </EmptyState>
      ) : keys.error ? (
        <ErrorPanel error={keys.error} onRetry={keys.reload} />
      ) : (keys.data?.items ?? []).length === 0 ? (
        <EmptyState title="No signing keys yet">Keys are created when this environment issues its first token.</EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table" aria-label="Signing keys">
            <thead>
              <tr>
                <th scope="col">Key ID</th>
                <th scope="col">Algorithm</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {keys.data!.items.map((k) => (
                <tr key={k.kid}>
                  <td data-label="Key ID" class="mono break">{k.kid}</td>
                  <td data-label="Algorithm">{k.alg}</td>
                  <td data-label="State">
                    <span class={`badge ${k.state === 'current' || k.state === 'active' ? 'badge--ok' : 'badge--off'}`}>{k.state}</span>
                  </td>
                  <td data-label="Created">{formatDate(k.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={rotating}
        title="Rotate signing keys"
        body={<p>A new key starts signing tokens. Tokens already issued keep verifying until they expire.</p>}
        confirmLabel="Rotate keys"
        onClose={() => setRotating(false)}
        onConfirm={async () => {
          await api.rotateKeys(env.id);
          notify('Signing keys rotated.');
          keys.reload();
        }}
      />
    </div>
  );
}
