import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { api, fetchMetadata, type ActivityBucket, type Environment } from '../api';
import { Button, EmptyState, ErrorPanel, Field, Loading, formatDate, useAsync } from '../ui';

// HOOK (token service / protection issues). Assumed endpoints, see docs/dashboard.md:
//   GET /api/v1/environments/{id}/activity?window=24h&bucket=1h[&client_id=]
//       -> {"buckets":[{"start","issued","refused"}]}
//   GET /api/v1/environments/{id}/events?limit=50 -> {"items":[{"id","time","type","client_id","outcome","message"}]}
// A 404 means the server does not have them yet: the tab shows an empty state.
export function ActivityTab({ env }: { env: Environment }) {
  const activity = useAsync(() => api.activity(env.id, 'window=24h&bucket=1h'), [env.id]);
  const events = useAsync(() => api.events(env.id), [env.id]);

  return (
    <div class="stack stack--lg">
      <div class="section-head">
        <div>
          <h2>Activity</h2>
          <p class="muted">Tokens issued and refused in this environment over the last 24 hours.</p>
        </div>
      </div>
      <div class="panel">
        {activity.loading && !activity.data ? (
          <Loading label="Loading activity…" />
        ) : activity.error?.status === 404 ? (
          <EmptyState title="No activity to show yet">
            Charts of issued and refused tokens appear here once this server records token activity. Create a
            client and request a token with the snippet from its connection details.
          </EmptyState>
        ) : activity.error ? (
          <ErrorPanel error={activity.error} onRetry={activity.reload} />
        ) : (activity.data?.buckets ?? []).length === 0 ? (
          <EmptyState title="No tokens requested yet">Request a token with a client's snippet to see it here.</EmptyState>
        ) : (
          <ActivityChart buckets={activity.data!.buckets} />
        )}
      </div>

      <div class="panel stack">
        <h3>Recent events</h3>
        {events.loading && !events.data ? (
          <Loading label="Loading events…" />
        ) : events.error?.status === 404 ? (
          <p class="muted">The audit trail (issuance, refusals, revocations, changes) appears here once the server records it.</p>
        ) : events.error ? (
          <ErrorPanel error={events.error} onRetry={events.reload} />
        ) : (events.data?.items ?? []).length === 0 ? (
          <p class="muted">No events yet.</p>
        ) : (
          <ul class="list">
            {events.data!.items.map((e) => (
              <li key={e.id} class="list__row">
                <span class="mono small">{formatDate(e.time)}</span>
                <span>{e.type}</span>
                <span class="muted small">{[e.client_id, e.outcome, e.message].filter(Boolean).join(' · ')}</span>
              </li>
            ))}
          </ul>
        )}
      </div>

      <TokenDecoder env={env} />
    </div>
  );
}

function ActivityChart({ buckets }: { buckets: ActivityBucket[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let live = true;
    // chart.js is loaded on demand so the rest of the dashboard stays small.
    import('chart.js/auto').then(({ default: Chart }) => {
      if (!live || !canvas.current) return;
      chart = new Chart(canvas.current, {
        type: 'bar',
        data: {
          labels: buckets.map((b) => new Date(b.start).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })),
          datasets: [
            { label: 'Issued', data: buckets.map((b) => b.issued), backgroundColor: '#2f5bd3' },
            { label: 'Refused', data: buckets.map((b) => b.refused), backgroundColor: '#d64545' },
          ],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    });
    return () => {
      live = false;
      chart?.destroy();
    };
  }, [buckets]);
  const total = buckets.reduce((a, b) => ({ issued: a.issued + b.issued, refused: a.refused + b.refused }), { issued: 0, refused: 0 });
  return (
    <figure class="chart">
      <div class="chart__canvas">
        <canvas ref={canvas} role="img" aria-label={`Tokens issued: ${total.issued}, refused: ${total.refused}, in the last 24 hours`} />
      </div>
      <figcaption class="muted small">
        {total.issued} issued, {total.refused} refused
      </figcaption>
    </figure>
  );
}

function b64urlDecode(s: string): string {
  const b = s.replace(/-/g, '+').replace(/_/g, '/');
  const pad = b.length % 4 ? '='.repeat(4 - (b.length % 4)) : '';
  const bin = atob(b + pad);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

type Decoded = { header: unknown; claims: Record<string, unknown> } | { error: string };

export function decodeJwt(token: string): Decoded {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return { error: 'A JWT has three parts separated by dots.' };
  try {
    return { header: JSON.parse(b64urlDecode(parts[0])), claims: JSON.parse(b64urlDecode(parts[1])) };
  } catch {
    return { error: 'This is not a valid JWT: its header or claims are not base64url-encoded JSON.' };
  }
}

/** Decodes a pasted token locally (nothing is sent) and optionally asks the verify endpoint. */
function TokenDecoder({ env }: { env: Environment }) {
  const [token, setToken] = useState('');
  const [audience, setAudience] = useState('');
  const [verdict, setVerdict] = useState<{ ok: boolean; text: string; detail?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const apis = useAsync(() => api.listApis(env.id), [env.id]);
  const audId = useId();
  const decoded = token.trim() ? decodeJwt(token) : null;
  useEffect(() => setVerdict(null), [token, audience]);
  useEffect(() => {
    if (!audience && apis.data?.[0]) setAudience(apis.data[0].identifier);
  }, [apis.data]);

  // The token leaves the browser only here, and only to this environment's verify endpoint
  // (from its RFC 8414 metadata), never to the management API.
  async function verify() {
    setBusy(true);
    setVerdict(null);
    try {
      const m = await fetchMetadata(env);
      if (!m.verify_endpoint) throw new Error('no verify endpoint');
      const res = await fetch(`${m.verify_endpoint}?audience=${encodeURIComponent(audience)}`, {
        headers: { Authorization: `Bearer ${token.trim()}`, Accept: 'application/json' },
        credentials: 'omit',
        cache: 'no-store',
      });
      if (res.ok) {
        setVerdict({ ok: true, text: `The token verifies for ${audience}.`, detail: `HTTP ${res.status}` });
      } else {
        let body: { error?: string; error_description?: string } = {};
        try {
          body = await res.json();
        } catch {
          /* not JSON */
        }
        const www = res.headers.get('WWW-Authenticate') ?? '';
        const code = body.error ?? /error="([^"]*)"/.exec(www)?.[1];
        const reason = body.error_description ?? /error_description="([^"]*)"/.exec(www)?.[1] ?? code ?? 'refused';
        setVerdict({
          ok: false,
          text: `The token does not verify for ${audience}: ${reason}.`,
          detail: `HTTP ${res.status}${code ? ` ${code}` : ''}`,
        });
      }
    } catch {
      setVerdict({ ok: false, text: 'Verification is not available: the environment has no verify endpoint or cannot be reached.' });
    } finally {
      setBusy(false);
    }
  }

  const claims = decoded && 'claims' in decoded ? decoded.claims : undefined;
  const exp = typeof claims?.exp === 'number' ? new Date(claims.exp * 1000) : undefined;

  return (
    <div class="panel stack">
      <h3>Token decoder</h3>
      <p class="muted small">
        Paste an access token to see its header and claims. Decoding happens in your browser; the token is sent only
        to this environment's verify endpoint, and only when you click Verify.
      </p>
      <Field label="Access token" name="token" error={decoded && 'error' in decoded ? decoded.error : undefined}>
        {(a) => <textarea {...a} class="mono" rows={3} value={token} onInput={(e) => setToken(e.currentTarget.value)} spellcheck={false} />}
      </Field>
      {decoded && 'header' in decoded && (
        <div class="grid2">
          <div>
            <h4>Header</h4>
            <pre class="code code--small" data-testid="token-header">{JSON.stringify(decoded.header, null, 2)}</pre>
          </div>
          <div>
            <h4>Claims</h4>
            <pre class="code code--small" data-testid="token-claims">{JSON.stringify(decoded.claims, null, 2)}</pre>
            {exp && (
              <p class="small">
                {exp.getTime() < Date.now() ? 'Expired' : 'Expires'} {formatDate(exp.toISOString())}
              </p>
            )}
          </div>
        </div>
      )}
      {decoded && 'header' in decoded && apis.data?.length === 0 && (
        <p class="muted small">Register an API in this environment to verify tokens for it.</p>
      )}
      {decoded && 'header' in decoded && (apis.data?.length ?? 0) > 0 && (
        <div class="row">
          <div class="field">
            <label for={audId}>Verify for API</label>
            <select id={audId} value={audience} onChange={(e) => setAudience(e.currentTarget.value)}>
              {(apis.data ?? []).map((a) => (
                <option key={a.id} value={a.identifier}>
                  {a.name} ({a.identifier})
                </option>
              ))}
            </select>
          </div>
          <Button onClick={verify} busy={busy} disabled={!audience}>
            Verify
          </Button>
        </div>
      )}
      {verdict && (
        <div class={`alert ${verdict.ok ? 'alert--ok' : 'alert--error'}`} role="status" data-testid="verdict" data-verdict={verdict.ok ? 'valid' : 'invalid'}>
          <div>
            {verdict.text}
            {verdict.detail && <span class="verdict__detail">{verdict.detail}</span>}
          </div>
        </div>
      )}
    </div>
  );
}
