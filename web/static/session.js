// The page's session with the server. The server keeps the token; the browser holds only an
// HttpOnly cookie (no script can read it) and the session's CSRF token, sent with every change.
import { el } from './format.js';

let csrfToken;

/** The session, once there is one; until then a sign-in form in `root` asks for a token. */
export async function ensureSession(root) {
  for (;;) {
    const r = await fetch('/ui/api/session');
    if (r.ok) {
      const session = await r.json();
      csrfToken = session.csrfToken;
      return session;
    }
    const problem = await r.json().catch(() => ({ detail: `HTTP ${r.status}` }));
    if (r.status !== 401) throw new Error(problem.detail);
    await signIn(root);
  }
}

/** POSTs `body` as JSON with the session's CSRF token; rejects with the server's problem detail. */
export async function post(path, body, method = 'POST') {
  const r = await fetch(path, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.ok) return r.status === 204 ? undefined : r.json();
  const problem = await r.json().catch(() => ({ detail: `HTTP ${r.status}` }));
  throw new Error(problem.detail);
}

/** Who is signed in, and a button to sign out (not on loopback, where there is no token). */
export function sessionBadge(session) {
  if (!session.signedIn) return el('span', { class: 'who' });
  const out = () => post('/ui/api/session', undefined, 'DELETE').finally(() => location.reload());
  return el('span', { class: 'who' }, el('span', { id: 'signed-in-as' }, session.user), ' ', el('button', { type: 'button', class: 'link', onclick: out }, 'Sign out'));
}

/** Shows the sign-in form until the server accepts a token. */
function signIn(root) {
  return new Promise((resolve) => {
    const input = el('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' });
    const error = el('p', { id: 'sign-in-error', class: 'error', role: 'alert' });
    const submit = async (e) => {
      e.preventDefault();
      const r = await fetch('/ui/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: input.value.trim() }) });
      if (r.ok) {
        resolve();
        return;
      }
      error.textContent = (await r.json().catch(() => ({ detail: `HTTP ${r.status}` }))).detail;
      input.select();
    };
    root.replaceChildren(
      el('h1', {}, 'Sign in'),
      el(
        'p',
        {},
        'This polyfleet asks for a token: the one in its --inventory-token-file, or in a cluster your Kubernetes token (e.g. kubectl create token NAME -n NAMESPACE). ',
        'You see the namespaces your RBAC lets you list NodePools and Machines in, and may scale or pause the pools you may patch. ',
        'The server checks the token and keeps it; the page holds only a session cookie.',
      ),
      el('form', { class: 'sign-in', onsubmit: submit }, el('label', { for: 'token' }, 'Token'), input, el('button', { type: 'submit' }, 'Sign in'), error),
    );
    const live = document.getElementById('live');
    live.textContent = 'not signed in';
    live.classList.add('off');
    input.focus();
  });
}
