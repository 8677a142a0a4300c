/**
 * The sign-in form, shown when the API answers 401: under `segmenta serve` (or `segmenta dashboard --admin-token`) the
 * dashboard's data is part of the read API and needs the admin token. The form only hands the token to `onToken`;
 * the app keeps it (see api.js) and loads the page again.
 */
import { el, notice, withCode } from './ui.js';

/**
 * The page's nodes. `rejected`: a token was sent and refused (else none was held yet); `reason`: the server's message,
 * as a sentence.
 */
export function signInView({ rejected, reason }, onToken) {
  const input = el('input', { id: 'admin-token', name: 'token', type: 'password', autocomplete: 'current-password', spellcheck: 'false', required: true });
  const form = el('form', { class: 'sign-in card', 'data-sign-in': '', 'aria-label': 'Sign in', onsubmit: (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (token) onToken(token);
  } }, el('label', { for: 'admin-token' }, 'Admin token', input), el('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  return [
    el('h1', {}, 'Sign in'),
    rejected
      ? notice('error', 'The admin token was not accepted', `${reason} Check the token and sign in again.`)
      : el('p', { class: 'sub' }, withCode('This dashboard’s data needs the admin token: the one given to `segmenta serve` with `--admin-token` or `SEGMENTA_ADMIN_TOKEN`, or printed when it first started (or the one given to `segmenta dashboard --admin-token`).')),
    form,
    el('p', { class: 'hint' }, 'The token stays in this browser tab only and is sent with each request for data. Sign out, or close the tab, to forget it.'),
  ];
}
