import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

// ---------------------------------------------------------------------------------------
// Data loading

export interface Async<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    fn().then(
      (d) => {
        if (!live) return;
        setData(d);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(toApiError(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, 'client_error', e instanceof Error ? e.message : String(e));
}

// ---------------------------------------------------------------------------------------
// Forms and field errors

/**
 * Keeps per-field error messages. An API error naming a field (`"field": "scopes[1].name"`)
 * is shown next to that field, or next to its parent (`scopes`) when there is no such field
 * in the form; anything else is a form-level error.
 */
export function useFormErrors(fields: string[]) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const clear = useCallback(() => {
    setErrors({});
    setFormError(undefined);
  }, []);
  const fromError = useCallback(
    (e: unknown) => {
      const err = toApiError(e);
      const key = err.field ? resolveField(err.field, fields) : undefined;
      if (key) {
        setErrors({ [key]: err.message });
        setFormError(undefined);
        focusField(key);
      } else {
        setErrors({});
        setFormError(err.message);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [fields.join('|')],
  );
  const set = useCallback((errs: Record<string, string>) => {
    setErrors(errs);
    setFormError(undefined);
    const first = Object.keys(errs)[0];
    if (first) focusField(first);
  }, []);
  return { errors, formError, clear, fromError, set };
}

function resolveField(field: string, fields: string[]): string | undefined {
  if (fields.includes(field)) return field;
  // scopes[1].name -> scopes.1.name -> scopes
  const norm = field.replace(/\[(\d+)\]/g, '.$1');
  if (fields.includes(norm)) return norm;
  const parts = norm.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const k = parts.slice(0, i).join('.');
    if (fields.includes(k)) return k;
  }
  return undefined;
}

function focusField(key: string) {
  window.setTimeout(() => {
    const el = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(key)}"]`);
    el?.focus();
  }, 0);
}

interface FieldProps {
  label: string;
  name: string;
  error?: string;
  hint?: ComponentChildren;
  children: (attrs: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
    'data-field': string;
    name: string;
  }) => ComponentChildren;
  class?: string;
}

/** A labelled form control with its hint and error message wired for assistive technology. */
export function Field({ label, name, error, hint, children, class: cls }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field ${error ? 'field--error' : ''} ${cls ?? ''}`}>
      <label for={id}>{label}</label>
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': describedBy, 'data-field': name, name })}
      {hint && (
        <p class="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field__error" id={errId} role="alert" data-error-for={name}>
          {error}
        </p>
      )}
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div class="alert alert--error" role="alert" data-testid="form-error">
      {message}
    </div>
  );
}

// ---------------------------------------------------------------------------------------
// Buttons, states

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  busy?: boolean;
  small?: boolean;
  type?: 'button' | 'submit';
  disabled?: boolean;
};

export function Button({ variant = 'secondary', busy, small, class: cls, children, disabled, type = 'button', ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      class={`btn btn--${variant} ${small ? 'btn--small' : ''} ${cls ?? ''}`}
      disabled={disabled || busy}
      aria-busy={busy ? 'true' : undefined}
    >
      {busy && <span class="spinner spinner--inline" aria-hidden="true" />}
      {children}
    </button>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ComponentChildren; action?: ComponentChildren }) {
  return (
    <div class="empty" data-testid="empty-state">
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action && <div class="empty__action">{action}</div>}
    </div>
  );
}

export function ErrorPanel({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div class="alert alert--error" role="alert">
      <span>{error.message}</span>
      {onRetry && (
        <Button small onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------
// Clipboard

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back below */
  }
  // Fallback for plain-http deployments (not a secure context).
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.className = 'offscreen';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  document.body.removeChild(ta);
  return ok;
}

export function CopyButton({ text, label = 'Copy', what }: { text: string; label?: string; what?: string }) {
  const [state, setState] = useState<'idle' | 'ok' | 'fail'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return (
    <>
      <button
        type="button"
        class="btn btn--secondary btn--small copy"
        data-copy={what}
        onClick={async () => {
          const ok = await copyText(text);
          setState(ok ? 'ok' : 'fail');
          window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => setState('idle'), 2000);
        }}
      >
        {state === 'ok' ? 'Copied' : state === 'fail' ? 'Copy failed' : label}
        {what && <span class="sr-only"> {what}</span>}
      </button>
      <span class="sr-only" aria-live="polite">
        {state === 'ok' ? `${what ?? 'Text'} copied to the clipboard` : ''}
      </span>
    </>
  );
}

/** A read-only value (id, URL, secret) with a copy button. */
export function CopyField({ label, value, name, secret }: { label: string; value: string; name: string; secret?: boolean }) {
  const id = useId();
  return (
    <div class={`copyfield ${secret ? 'copyfield--secret' : ''}`}>
      <label for={id}>{label}</label>
      <div class="copyfield__row">
        <input
          id={id}
          class="mono"
          readOnly
          value={value}
          data-value={name}
          onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
          spellcheck={false}
        />
        <CopyButton text={value} what={label} />
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------
// Dialogs (native <dialog>: focus trapping, Escape to close, inert background)

export function Dialog({
  open,
  title,
  onClose,
  children,
  wide,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
      // start on the first editable control rather than on the Close button
      d.querySelector<HTMLElement>(
        '.dialog__body input:not([readonly]):not([type="hidden"]), .dialog__body select, .dialog__body textarea',
      )?.focus();
    } else if (!open && d.open) {
      d.close();
      const o = opener.current as HTMLElement | null;
      if (o && typeof o.focus === 'function' && document.contains(o)) o.focus();
    }
  }, [open]);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const onCancel = (e: Event) => {
      e.preventDefault();
      onClose();
    };
    const onClosed = () => {
      const o = opener.current as HTMLElement | null;
      if (o && document.activeElement === document.body && document.contains(o)) o.focus();
    };
    d.addEventListener('cancel', onCancel);
    d.addEventListener('close', onClosed);
    return () => {
      d.removeEventListener('cancel', onCancel);
      d.removeEventListener('close', onClosed);
    };
  }, [onClose]);
  return (
    <dialog ref={ref} class={`dialog ${wide ? 'dialog--wide' : ''}`} aria-labelledby={titleId}>
      {open && (
        <div class="dialog__inner">
          <header class="dialog__header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" class="btn btn--ghost btn--icon" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          <div class="dialog__body">{children}</div>
        </div>
      )}
    </dialog>
  );
}

/** A destructive confirmation; with `confirmText` the user must type it (e.g. a project name). */
export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  confirmText,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  body: ComponentChildren;
  confirmLabel: string;
  confirmText?: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (open) {
      setTyped('');
      setError(undefined);
      setBusy(false);
    }
  }, [open]);
  const ok = !confirmText || typed === confirmText;
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          if (!ok) return;
          setBusy(true);
          setError(undefined);
          try {
            await onConfirm();
            onClose();
          } catch (err) {
            setError(toApiError(err).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <div class="stack">
          <div>{body}</div>
          {confirmText && (
            <Field label={`Type “${confirmText}” to confirm`} name="confirm">
              {(a) => (
                <input {...a} autoComplete="off" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
              )}
            </Field>
          )}
          <FormError message={error} />
          <div class="actions">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="danger" busy={busy} disabled={!ok}>
              {confirmLabel}
            </Button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}

// ---------------------------------------------------------------------------------------
// Notices (a polite live region at the top of the page)

type Notice = { id: number; text: string; kind: 'ok' | 'error' };
let pushNotice: ((n: Omit<Notice, 'id'>) => void) | null = null;
export function notify(text: string, kind: 'ok' | 'error' = 'ok') {
  pushNotice?.({ text, kind });
}

export function Notices() {
  const [items, setItems] = useState<Notice[]>([]);
  useEffect(() => {
    let n = 0;
    pushNotice = (x) => {
      const id = ++n;
      setItems((cur) => [...cur.slice(-2), { ...x, id }]);
      window.setTimeout(() => setItems((cur) => cur.filter((i) => i.id !== id)), 5000);
    };
    return () => {
      pushNotice = null;
    };
  }, []);
  return (
    <div class="notices" aria-live="polite" role="status">
      {items.map((i) => (
        <div key={i.id} class={`notice notice--${i.kind}`}>
          {i.text}
        </div>
      ))}
    </div>
  );
}

export function formatDate(s?: string | null): string {
  if (!s) return '—';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDuration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
