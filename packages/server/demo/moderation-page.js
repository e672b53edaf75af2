// The demo moderation page: keeps the pasted moderator token in this tab's sessionStorage and
// hands it to <colloquy-moderation>. A real site sets `auth-token` from its own login instead.
const KEY = 'colloquy:demo:moderator-token';
const form = document.getElementById('sign-in-form');
const input = document.getElementById('token');
const signOut = document.getElementById('sign-out');
const status = document.getElementById('sign-in-status');
const queue = document.querySelector('colloquy-moderation');

function storage() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function use(token) {
  if (token) queue.setAttribute('auth-token', token);
  else queue.removeAttribute('auth-token');
  signOut.hidden = !token;
}

use(storage()?.getItem(KEY) ?? '');
if (queue.hasAttribute('auth-token')) status.textContent = 'Signed in with the token saved in this tab.';

/** Who the token signs in, asked of the server before the token is kept. */
async function whoIs(token) {
  const response = await fetch('/api/v1/identities/me', { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  const answer = await response.json().catch(() => null);
  if (!response.ok) throw new Error(answer?.error?.message ?? `The server answered ${response.status}.`);
  return answer.identity;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = input.value.trim();
  if (!token) {
    status.textContent = 'Paste a token first.';
    input.focus();
    return;
  }
  status.textContent = 'Checking the token…';
  let identity;
  try {
    identity = await whoIs(token);
  } catch (error) {
    status.textContent = `That token was not accepted: ${error.message} Check that it was printed with this server's COLLOQUY_JWT_SECRET and has not expired.`;
    input.focus();
    return;
  }
  if (identity.role !== 'moderator' && identity.role !== 'staff') {
    status.textContent = `That token signs in ${identity.name ?? 'a reader'} as a ${identity.role}; the queue needs a moderator or staff token.`;
    input.focus();
    return;
  }
  storage()?.setItem(KEY, token);
  input.value = '';
  use(token);
  status.textContent = `Signed in as ${identity.name ?? 'a moderator'} (${identity.role}). The queue is below.`;
});

signOut.addEventListener('click', () => {
  storage()?.removeItem(KEY);
  use('');
  status.textContent = 'Signed out. The token is forgotten.';
  input.focus();
});
