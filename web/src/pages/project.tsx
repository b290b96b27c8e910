import { useEffect, useId, useState } from 'preact/hooks';
import { api, envEndpoints, type Environment, type Project } from '../api';
import { navigate } from '../router';
import {
  Button,
  ConfirmDialog,
  CopyField,
  Dialog,
  ErrorPanel,
  Field,
  FormError,
  Loading,
  formatDate,
  notify,
  useAsync,
  useFormErrors,
} from '../ui';
import { ApisTab } from './apis';
import { ClientsTab } from './clients';
import { ActivityTab } from './activity';
import { KeysTab } from './keys';

const TABS = [
  { id: 'apis', label: 'APIs' },
  { id: 'clients', label: 'Clients' },
  { id: 'activity', label: 'Activity' },
  { id: 'keys', label: 'Signing keys' },
  { id: 'settings', label: 'Settings' },
] as const;

export function ProjectPage({ projectId, envId, tab }: { projectId: string; envId?: string; tab: string }) {
  const project = useAsync(() => api.getProject(projectId), [projectId]);
  const p = project.data;
  const env: Environment | undefined = p?.environments.find((e) => e.id === envId) ?? p?.environments[0];

  // Normalise the URL to always name the environment being shown.
  useEffect(() => {
    if (p && env && env.id !== envId) {
      navigate(`/projects/${p.id}/env/${env.id}/${TABS.some((t) => t.id === tab) ? tab : 'apis'}`, true);
    }
  }, [p?.id, env?.id, envId, tab]);

  if (project.loading && !p) return <Loading label="Loading project…" />;
  if (project.error) {
    return (
      <div class="page">
        <Breadcrumb />
        <h1>Project not found</h1>
        <ErrorPanel error={project.error} onRetry={project.reload} />
      </div>
    );
  }
  if (!p) return null;

  const tabUrl = (t: string, e = env) => (e ? `#/projects/${p.id}/env/${e.id}/${t}` : `#/projects/${p.id}/${t}`);

  return (
    <div class="page">
      <Breadcrumb name={p.name} />
      <div class="page__head">
        <div>
          <h1>{p.name}</h1>
          {p.description && <p class="muted">{p.description}</p>}
        </div>
      </div>

      {env ? (
        <EnvironmentBar project={p} env={env} tab={tab} onAdded={project.reload} />
      ) : (
        <div class="alert">This project has no environment yet. Add one in Settings.</div>
      )}

      <nav class="tabs" aria-label="Environment sections">
        {TABS.map((t) => (
          <a key={t.id} href={tabUrl(t.id)} class={`tabs__tab ${tab === t.id ? 'is-active' : ''}`} aria-current={tab === t.id ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
      </nav>

      <section class="tabpanel" aria-label={TABS.find((t) => t.id === tab)?.label}>
        {tab === 'settings' ? (
          <ProjectSettings project={p} onChanged={project.setData} reload={project.reload} />
        ) : !env ? null : tab === 'clients' ? (
          <ClientsTab key={env.id} env={env} />
        ) : tab === 'activity' ? (
          <ActivityTab key={env.id} env={env} />
        ) : tab === 'keys' ? (
          <KeysTab key={env.id} env={env} />
        ) : (
          <ApisTab key={env.id} env={env} />
        )}
      </section>
    </div>
  );
}

function Breadcrumb({ name }: { name?: string }) {
  return (
    <nav class="breadcrumb" aria-label="Breadcrumb">
      <a href="#/projects">Projects</a>
      {name && (
        <>
          <span aria-hidden="true">/</span>
          <span aria-current="page">{name}</span>
        </>
      )}
    </nav>
  );
}

function EnvironmentBar({ project, env, tab, onAdded }: { project: Project; env: Environment; tab: string; onAdded: () => void }) {
  const id = useId();
  const ep = envEndpoints(env);
  const [adding, setAdding] = useState(false);
  return (
    <section class="envbar" aria-label="Environment">
      <div class="envbar__switch">
        <label for={id}>Environment</label>
        <div class="envbar__row">
          <select
            id={id}
            data-testid="env-switcher"
            value={env.id}
            onChange={(e) => navigate(`/projects/${project.id}/env/${e.currentTarget.value}/${tab}`)}
          >
            {project.environments.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
          <Button small onClick={() => setAdding(true)}>
            Add environment
          </Button>
        </div>
      </div>
      <div class="envbar__urls">
        <CopyField label="Issuer" name="issuer" value={ep.issuer} />
        <CopyField label="Metadata URL" name="metadata-url" value={ep.metadata} />
      </div>
      <AddEnvironmentDialog
        open={adding}
        projectId={project.id}
        onClose={() => setAdding(false)}
        onAdded={(e) => {
          setAdding(false);
          notify(`Environment “${e.name}” added.`);
          onAdded();
          navigate(`/projects/${project.id}/env/${e.id}/${tab}`);
        }}
      />
    </section>
  );
}

function AddEnvironmentDialog({
  open,
  projectId,
  onClose,
  onAdded,
}: {
  open: boolean;
  projectId: string;
  onClose: () => void;
  onAdded: (e: Environment) => void;
}) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const f = useFormErrors(['name']);
  return (
    <Dialog open={open} title="Add environment" onClose={onClose}>
      <form
        noValidate
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          f.clear();
          const n = name.trim();
          if (n.length < 1 || n.length > 100) return f.set({ name: 'Enter a name of 1 to 100 characters.' });
          setBusy(true);
          try {
            const env = await api.createEnvironment(projectId, n);
            setName('');
            onAdded(env);
          } catch (err) {
            f.fromError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Field label="Name" name="name" error={f.errors.name} hint="For example “staging”. It gets its own issuer, keys, APIs and clients.">
          {(a) => <input {...a} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <FormError message={f.formError} />
        <div class="actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Add environment
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ProjectSettings({ project, onChanged }: { project: Project; onChanged: (p: Project) => void; reload: () => void }) {
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description ?? '');
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const f = useFormErrors(['name', 'description']);

  return (
    <div class="stack stack--lg">
      <form
        noValidate
        class="panel stack"
        aria-labelledby="rename-h"
        onSubmit={async (e) => {
          e.preventDefault();
          f.clear();
          const n = name.trim();
          if (n.length < 1 || n.length > 100) return f.set({ name: 'Enter a name of 1 to 100 characters.' });
          setBusy(true);
          try {
            const p = await api.updateProject(project.id, { name: n, description: description.trim() });
            onChanged({ ...project, ...p, environments: p.environments ?? project.environments });
            notify('Project saved.');
          } catch (err) {
            f.fromError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <h2 id="rename-h">Project details</h2>
        <Field label="Name" name="name" error={f.errors.name}>
          {(a) => <input {...a} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field label="Description" name="description" error={f.errors.description}>
          {(a) => <textarea {...a} rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}
        </Field>
        <dl class="meta">
          <dt>Slug</dt>
          <dd class="mono">{project.slug}</dd>
          <dt>Created</dt>
          <dd>{formatDate(project.created_at)}</dd>
        </dl>
        <FormError message={f.formError} />
        <div class="actions actions--start">
          <Button type="submit" variant="primary" busy={busy}>
            Save
          </Button>
        </div>
      </form>

      <div class="panel stack">
        <h2>Environments</h2>
        <ul class="list">
          {project.environments.map((e) => (
            <li key={e.id} class="list__row">
              <div>
                <strong>{e.name}</strong>
                <div class="mono small muted break">{e.issuer}</div>
              </div>
            </li>
          ))}
        </ul>
      </div>

      <div class="panel panel--danger stack">
        <h2>Delete project</h2>
        <p>
          Deleting the project deletes its environments, APIs and clients. Tokens it issued stop verifying. This
          cannot be undone.
        </p>
        <div class="actions actions--start">
          <Button variant="danger" onClick={() => setDeleting(true)}>
            Delete project…
          </Button>
        </div>
      </div>
      <ConfirmDialog
        open={deleting}
        title="Delete project"
        body={
          <p>
            This permanently deletes <strong>{project.name}</strong> and everything in it.
          </p>
        }
        confirmText={project.name}
        confirmLabel="Delete project"
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await api.deleteProject(project.id);
          notify(`Project “${project.name}” deleted.`);
          navigate('/projects');
        }}
      />
    </div>
  );
}
