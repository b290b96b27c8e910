import { useState } from 'preact/hooks';
import { api, type Project } from '../api';
import { navigate } from '../router';
import { Button, Dialog, EmptyState, ErrorPanel, Field, FormError, Loading, formatDate, notify, useAsync, useFormErrors } from '../ui';

export function ProjectsPage() {
  const projects = useAsync(() => api.listProjects(), []);
  const [creating, setCreating] = useState(false);

  return (
    <div class="page">
      <div class="page__head">
        <div>
          <h1>Projects</h1>
          <p class="muted">A project groups the environments (authorization servers) of one product.</p>
        </div>
        <Button variant="primary" onClick={() => setCreating(true)}>
          New project
        </Button>
      </div>

      {projects.loading && !projects.data ? (
        <Loading label="Loading projects…" />
      ) : projects.error ? (
        <ErrorPanel error={projects.error} onRetry={projects.reload} />
      ) : projects.data && projects.data.length === 0 ? (
        <EmptyState
          title="No projects yet"
          action={
            <Button variant="primary" onClick={() => setCreating(true)}>
              Create your first project
            </Button>
          }
        >
          Create a project to get an authorization server per environment, then register the APIs you want to
          protect and the clients that call them.
        </EmptyState>
      ) : (
        <ul class="cards" aria-label="Projects">
          {projects.data!.map((p) => (
            <li key={p.id} class="card card--link">
              <a href={`#/projects/${encodeURIComponent(p.id)}`} class="card__link" data-testid="project-link">
                <span class="card__title">{p.name}</span>
                <span class="mono muted small">{p.slug}</span>
              </a>
              {p.description && <p class="card__desc">{p.description}</p>}
              <div class="chips" aria-label="Environments">
                {(p.environments ?? []).map((e) => (
                  <span key={e.id} class="chip">
                    {e.name}
                  </span>
                ))}
              </div>
              <p class="muted small">Created {formatDate(p.created_at)}</p>
            </li>
          ))}
        </ul>
      )}

      <CreateProjectDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(p) => {
          setCreating(false);
          notify(`Project “${p.name}” created.`);
          const env = p.environments?.[0];
          navigate(env ? `/projects/${p.id}/env/${env.id}/apis` : `/projects/${p.id}`);
        }}
      />
    </div>
  );
}

export function parseEnvNames(s: string): string[] {
  return s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

function CreateProjectDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (p: Project) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [envs, setEnvs] = useState('development, production');
  const [busy, setBusy] = useState(false);
  const f = useFormErrors(['name', 'description', 'environments']);

  async function submit(e: Event) {
    e.preventDefault();
    f.clear();
    const errs: Record<string, string> = {};
    const n = name.trim();
    if (n.length < 1 || n.length > 100) errs.name = 'Enter a name of 1 to 100 characters.';
    const envNames = parseEnvNames(envs);
    if (envNames.length === 0) errs.environments = 'Name at least one environment, for example “development”.';
    if (Object.keys(errs).length) return f.set(errs);
    setBusy(true);
    try {
      const p = await api.createProject({ name: n, description: description.trim(), environments: envNames });
      setName('');
      setDescription('');
      setEnvs('development, production');
      onCreated(p);
    } catch (err) {
      f.fromError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} title="New project" onClose={onClose}>
      <form noValidate onSubmit={submit} class="stack">
        <Field label="Name" name="name" error={f.errors.name}>
          {(a) => <input {...a} value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="Acme Payments" />}
        </Field>
        <Field label="Description (optional)" name="description" error={f.errors.description}>
          {(a) => <textarea {...a} rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
        <Field
          label="Environments"
          name="environments"
          error={f.errors.environments}
          hint="Comma-separated. Each environment is an isolated authorization server with its own issuer, keys, APIs and clients."
        >
          {(a) => <input {...a} value={envs} onInput={(e) => setEnvs(e.currentTarget.value)} />}
        </Field>
        <FormError message={f.formError} />
        <div class="actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Create project
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
