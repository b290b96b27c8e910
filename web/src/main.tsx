import { render } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import './styles.css';
import { api, setUnauthorizedListener, type Account } from './api';
import { match, navigate, useRoute } from './router';
import { Button, Loading, Notices, notify } from './ui';
import { AuthPage } from './pages/auth';
import { ProjectsPage } from './pages/projects';
import { ProjectPage } from './pages/project';

function App() {
  const path = useRoute();
  const [account, setAccount] = useState<Account | null | undefined>(undefined);

  useEffect(() => {
    api.me().then(
      (a) => setAccount(a),
      () => setAccount(null),
    );
    setUnauthorizedListener(() => {
      setAccount(null);
      notify('Your session has ended. Log in again.', 'error');
    });
    return () => setUnauthorizedListener(null);
  }, []);

  // Focus the main heading on navigation so keyboard and screen-reader users land on the page.
  // Runs synchronously after the render, and never takes focus away from a form control.
  useLayoutEffect(() => {
    const active = document.activeElement;
    if (active && active !== document.body && active.matches('input, select, textarea, dialog *')) return;
    const h = document.querySelector<HTMLElement>('main h1');
    if (h) {
      h.setAttribute('tabindex', '-1');
      h.focus({ preventScroll: true });
    }
  }, [path, account?.id]);

  if (account === undefined) {
    return (
      <div class="center-screen">
        <Loading label="Loading Gatehouse…" />
      </div>
    );
  }

  if (account === null) {
    const mode = path.startsWith('/signup') ? 'signup' : 'login';
    return (
      <>
        <Notices />
        <AuthPage
          mode={mode}
          onLoggedIn={(a) => {
            setAccount(a);
            if (path === '/' || path.startsWith('/login') || path.startsWith('/signup')) navigate('/projects', true);
          }}
        />
      </>
    );
  }

  let page;
  let m: Record<string, string> | null;
  if ((m = match('/projects/:pid/env/:eid/:tab', path))) {
    page = <ProjectPage projectId={m.pid} envId={m.eid} tab={m.tab} />;
  } else if ((m = match('/projects/:pid/:tab', path))) {
    page = <ProjectPage projectId={m.pid} tab={m.tab} />;
  } else if ((m = match('/projects/:pid', path))) {
    page = <ProjectPage projectId={m.pid} tab="apis" />;
  } else {
    page = <ProjectsPage />;
  }

  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="#/projects" aria-label="Gatehouse: all projects">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>Gatehouse</span>
        </a>
        <div class="topbar__right">
          <span class="topbar__who" data-testid="account-email" title={account.email}>
            {account.email}
          </span>
          <Button
            small
            variant="ghost"
            onClick={async () => {
              try {
                await api.logout();
              } catch {
                /* the session is gone either way */
              }
              setAccount(null);
              navigate('/login', true);
            }}
          >
            Log out
          </Button>
        </div>
      </header>
      <Notices />
      <main id="main" tabIndex={-1} class="main">
        {page}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
