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

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = input.value.trim();
  if (!token) {
    status.textContent = 'Paste a token first.';
    input.focus();
    return;
  }
  storage()?.setItem(KEY, token);
  input.value = '';
  use(token);
  status.textContent = 'Token set. The queue below is loading.';
});

signOut.addEventListener('click', () => {
  storage()?.removeItem(KEY);
  use('');
  status.textContent = 'Signed out. The token is forgotten.';
  input.focus();
});
