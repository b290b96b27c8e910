import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { api, auditEvents, fetchMetadata, type AuditEvent, type Block, type Environment } from '../api';
import { Button, ConfirmDialog, EmptyState, ErrorPanel, Field, Loading, formatDate, notify, useAsync } from '../ui';

const MINUTE = 60_000;
const WINDOW_MINUTES = 60;
const MAX_EVENTS = 2000;

/** Per-minute buckets of token.issued / token.refused over the last hour, oldest first. */
export interface MinuteBucket {
  start: number;
  issued: number;
  refused: number;
}
export function bucketize(events: AuditEvent[], now: number): MinuteBucket[] {
  const end = Math.floor(now / MINUTE) * MINUTE + MINUTE; // end of the current minute
  const first = end - WINDOW_MINUTES * MINUTE;
  const buckets: MinuteBucket[] = Array.from({ length: WINDOW_MINUTES }, (_, i) => ({ start: first + i * MINUTE, issued: 0, refused: 0 }));
  for (const e of events) {
    const t = Date.parse(e.time);
    if (!(t >= first && t < end)) continue;
    const b = buckets[Math.floor((t - first) / MINUTE)];
    if (e.type === 'token.issued') b.issued++;
    else if (e.type === 'token.refused') b.refused++;
  }
  return buckets;
}

function describeEvent(e: AuditEvent): string {
  const d = e.detail ?? {};
  const parts: string[] = [];
  for (const k of ['error', 'reason', 'audience', 'scope', 'message']) {
    const v = d[k];
    if (typeof v === 'string' && v) parts.push(k === 'error' || k === 'reason' || k === 'message' ? v : `${k} ${v}`);
  }
  if (e.actor && e.actor !== e.client_id) parts.push(`by ${e.actor}`);
  if (e.ip) parts.push(e.ip);
  return parts.join(' · ');
}

// The Activity tab: tokens issued and refused over the last hour (from the environment's audit
// events), the recent audit events, alerts, active blocks, and the token decoder.
export function ActivityTab({ env }: { env: Environment }) {
  const [client, setClient] = useState('');
  const clientSelect = useId();
  const clients = useAsync(() => api.listClients(env.id), [env.id]);
  useEffect(() => setClient(''), [env.id]);
  const activity = useAsync(async () => {
    const now = Date.now();
    const q = new URLSearchParams({ since: new Date(now - WINDOW_MINUTES * MINUTE).toISOString() });
    if (client) q.set('client_id', client);
    const res = await auditEvents(env.id, q, MAX_EVENTS);
    return { ...res, now };
  }, [env.id, client]);
  const recent = useAsync(() => {
    const q = new URLSearchParams({ limit: '50' });
    if (client) q.set('client_id', client);
    return api.audit(env.id, q.toString());
  }, [env.id, client]);
  const alerts = useAsync(() => api.listAlerts(env.id), [env.id]);
  const blocks = useAsync(() => api.listBlocks(env.id), [env.id]);
  const [lifting, setLifting] = useState<Block | null>(null);
  const buckets = useMemo(() => (activity.data ? bucketize(activity.data.items, activity.data.now) : []), [activity.data]);
  const nameOf = (id?: string | null) => (id ? (clients.data?.find((c) => c.client_id === id)?.name ?? id) : '');

  function refresh() {
    activity.reload();
    recent.reload();
    alerts.reload();
    blocks.reload();
  }

  return (
    <div class="stack stack--lg">
      <div class="section-head">
        <div>
          <h2>Activity</h2>
          <p class="muted">Tokens issued and refused in this environment over the last hour, per minute.</p>
        </div>
        <div class="row">
          <div class="field">
            <label for={clientSelect}>Client</label>
            <select id={clientSelect} value={client} onChange={(e) => setClient(e.currentTarget.value)}>
              <option value="">All clients</option>
              {(clients.data ?? []).map((c) => (
                <option key={c.id} value={c.client_id}>
                  {c.name} ({c.client_id})
                </option>
              ))}
            </select>
          </div>
          <Button onClick={refresh}>Refresh</Button>
        </div>
      </div>
      <div class="panel">
        {activity.loading && !activity.data ? (
          <Loading label="Loading activity…" />
        ) : activity.error ? (
          <ErrorPanel error={activity.error} onRetry={activity.reload} />
        ) : buckets.every((b) => b.issued === 0 && b.refused === 0) ? (
          <EmptyState title="No tokens requested in the last hour">
            Request a token with the snippet from a client's connection details to see it here.
          </EmptyState>
        ) : (
          <ActivityChart buckets={buckets} truncated={activity.data!.truncated} />
        )}
      </div>

      <div class="panel stack">
        <h3>Alerts</h3>
        {alerts.loading && !alerts.data ? (
          <Loading label="Loading alerts…" />
        ) : alerts.error ? (
          <ErrorPanel error={alerts.error} onRetry={alerts.reload} />
        ) : (alerts.data?.items ?? []).length === 0 ? (
          <p class="muted">No alerts. Repeated failures (such as a wrong client secret) raise one here.</p>
        ) : (
          <ul class="list">
            {alerts.data!.items.map((a) => (
              <li key={a.id} class="list__row" data-testid="alert-row">
                <span class="mono small">{formatDate(a.created_at)}</span>
                <span>{a.message}</span>
                <span class="muted small">{a.type}</span>
              </li>
            ))}
          </ul>
        )}
      </div>

      <div class="panel stack">
        <h3>Blocks</h3>
        {blocks.loading && !blocks.data ? (
          <Loading label="Loading blocks…" />
        ) : blocks.error ? (
          <ErrorPanel error={blocks.error} onRetry={blocks.reload} />
        ) : (blocks.data?.items ?? []).length === 0 ? (
          <p class="muted">No active blocks.</p>
        ) : (
          <div class="table-wrap">
            <table class="table" aria-label="Active blocks">
              <thead>
                <tr>
                  <th scope="col">Blocked</th>
                  <th scope="col">IP address</th>
                  <th scope="col">Strikes</th>
                  <th scope="col">Since</th>
                  <th scope="col">Until</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {blocks.data!.items.map((b) => {
                  const who = b.client_id ? `client ${nameOf(b.client_id)}` : `IP ${b.ip}`;
                  return (
                    <tr key={b.id} data-testid="block-row" data-block-id={b.id}>
                      <td data-label="Blocked">{b.client_id ? nameOf(b.client_id) : b.kind}</td>
                      <td data-label="IP address" class="mono small">{b.ip}</td>
                      <td data-label="Strikes">{b.strikes}</td>
                      <td data-label="Since">{formatDate(b.created_at)}</td>
                      <td data-label="Until">{formatDate(b.expires_at)}</td>
                      <td>
                        <Button small onClick={() => setLifting(b)} aria-label={`Lift block on ${who}`}>
                          Lift block
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <div class="panel stack">
        <h3>Recent events</h3>
        {recent.loading && !recent.data ? (
          <Loading label="Loading events…" />
        ) : recent.error ? (
          <ErrorPanel error={recent.error} onRetry={recent.reload} />
        ) : (recent.data?.items ?? []).length === 0 ? (
          <p class="muted">No events yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="table" aria-label="Recent events">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">Client</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {recent.data!.items.map((e) => (
                  <tr key={e.id} data-testid="event-row" data-type={e.type}>
                    <td data-label="Time" class="mono small">{formatDate(e.time)}</td>
                    <td data-label="Event">{e.type}</td>
                    <td data-label="Client">{nameOf(e.client_id) || '—'}</td>
                    <td data-label="Details" class="muted small">{describeEvent(e) || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>

      <TokenDecoder env={env} />

      <ConfirmDialog
        open={lifting !== null}
        title="Lift block"
        body={
          <p>
            {lifting?.client_id ? `Client ${nameOf(lifting.client_id)}` : `IP address ${lifting?.ip ?? ''}`} can request
            tokens again right away. If the failures continue it is blocked again, for longer.
          </p>
        }
        confirmLabel="Lift block"
        onClose={() => setLifting(null)}
        onConfirm={async () => {
          await api.liftBlock(env.id, lifting!.id);
          notify('Block lifted.');
          blocks.reload();
          alerts.reload();
        }}
      />
    </div>
  );
}

function ActivityChart({ buckets, truncated }: { buckets: MinuteBucket[]; truncated: boolean }) {
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
          animation: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
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
    <figure class="chart" data-testid="activity-chart" data-issued={total.issued} data-refused={total.refused}>
      <div class="chart__canvas">
        <canvas ref={canvas} role="img" aria-label={`Tokens issued: ${total.issued}, refused: ${total.refused}, in the last hour`} />
      </div>
      <figcaption class="muted small">
        {total.issued} issued, {total.refused} refused in the last hour
        {truncated && ` (from the latest ${MAX_EVENTS} events)`}
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
