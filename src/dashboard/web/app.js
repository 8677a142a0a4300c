/* global document, window, URLSearchParams, setTimeout */
/**
 * The single-page app's router. Hash routes `#/<page>[/<param>][?query]` load one page module from ./pages;
 * each exports `title` and `render(params) → Promise<Node[]>`, and may export `update(params, main)` to react to
 * a parameter change without redrawing the whole page. Whatever a page throws becomes a friendly notice, never
 * a blank page. `main[data-status]` is `loading`, then `done` or `error` (tests wait for it). A 401 (under
 * `segmenta serve`, whose read API needs the admin token) shows the sign-in form instead of the page.
 */
import { adminToken, ApiError, signIn, signOut } from './api.js';
import { disposeCharts, mountCharts } from './charts.js';
import { signInView } from './sign-in.js';
import { el, notice } from './ui.js';

const PAGES = {
  overview: () => import('./pages/overview.js'),
  segments: () => import('./pages/segments.js'),
  model: () => import('./pages/model.js'),
  customers: () => import('./pages/customers.js'),
  cohorts: () => import('./pages/cohorts.js'),
  journeys: () => import('./pages/journeys.js'),
  quality: () => import('./pages/quality.js'),
};

const TITLES = { overview: 'Overview', segments: 'Segments', model: 'Model choice', customers: 'Customers', cohorts: 'Cohorts', journeys: 'Journeys', quality: 'Data quality' };

const main = document.getElementById('main');
const status = document.getElementById('status');
const signOutButton = document.getElementById('sign-out');
let current = { name: null, module: null };
let generation = 0;

/** Parses `#/segments/3?offset=50` → { name: 'segments', param: '3', query: URLSearchParams }. */
export function parseHash(hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?');
  const [name = '', ...rest] = path.split('/');
  return { name: name || 'overview', param: rest.length > 0 ? decode(rest.join('/')) : null, query: new URLSearchParams(search) };
}

function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function route() {
  const params = parseHash(window.location.hash);
  const load = PAGES[params.name];
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === params.name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const mine = ++generation;
  if (current.name === params.name && current.module && typeof current.module.update === 'function') {
    main.dataset.status = 'loading';
    await guard(mine, params.name, () => current.module.update(params, main));
    return;
  }
  disposeCharts();
  main.dataset.page = params.name;
  main.dataset.status = 'loading';
  main.replaceChildren(el('p', { class: 'loading' }, 'Loading…'));
  if (!load) {
    current = { name: null, module: null };
    main.replaceChildren(el('h1', {}, 'Page not found'), notice('empty', 'There is no such page', `“${params.name}” is not a page of this dashboard. Pick one from the menu above.`));
    main.dataset.status = 'done';
    return;
  }
  await guard(mine, params.name, async () => {
    const module = await load();
    const nodes = await module.render(params);
    if (mine !== generation) return;
    current = { name: params.name, module };
    document.title = `${module.title} · Segmenta`;
    main.replaceChildren(...nodes.flat(Infinity).filter((node) => node !== null && node !== undefined && node !== false));
    mountCharts();
    status.textContent = `${module.title} loaded`;
  });
}

/** How often a page retries while another command writes the database. */
const BUSY_RETRY_MS = 5_000;

/**
 * Runs page work; a failure becomes a notice in the page (and is logged as a warning, not an error). While another
 * command writes the database (503 database_busy) the page says so and tries again every few seconds.
 */
async function guard(mine, name, work) {
  try {
    await work();
    if (mine === generation) main.dataset.status = 'done';
  } catch (error) {
    if (mine !== generation) return;
    disposeCharts();
    current = { name: null, module: null };
    if (error instanceof ApiError && error.status === 401) {
      showSignIn(error);
      return;
    }
    if (error instanceof ApiError && error.code === 'database_busy') {
      main.replaceChildren(el('h1', {}, TITLES[name] ?? 'Segmenta'), notice('running', 'A segmentation run or an import is in progress', `${sentence(error.message)} Trying again every ${BUSY_RETRY_MS / 1000} seconds.`));
      main.dataset.status = 'done';
      setTimeout(() => { if (mine === generation) void route(); }, BUSY_RETRY_MS);
      return;
    }
    const message = error && error.message ? error.message : String(error);
    main.replaceChildren(
      el('h1', {}, 'Something went wrong'),
      notice('error', `The ${TITLES[name] ?? name} page could not be shown`, sentence(message)),
      el('p', {}, el('button', { type: 'button', onclick: () => route() }, 'Try again')),
    );
    main.dataset.status = 'error';
    console.warn(`segmenta dashboard: ${name}: ${message}`);
  }
}

/** The sign-in form in place of the page; a refused token is forgotten. Signing in loads the page again. */
function showSignIn(error) {
  const rejected = adminToken() !== null;
  signOut();
  showSignOut();
  document.title = 'Sign in · Segmenta';
  main.replaceChildren(...signInView({ rejected, reason: sentence(error.message) }, (token) => {
    signIn(token);
    showSignOut();
    void route();
  }));
  main.dataset.status = 'done';
  status.textContent = 'Sign in needed';
  main.querySelector('input')?.focus();
}

/** The header's "Sign out" button shows while this tab holds a token. */
function showSignOut() {
  signOutButton.hidden = adminToken() === null;
}

/** A server message as a sentence: capitalised, with a full stop. */
function sentence(text) {
  const s = String(text).trim();
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}

window.addEventListener('hashchange', () => {
  void route();
});
signOutButton.addEventListener('click', () => {
  signOut();
  showSignOut();
  void route();
});
showSignOut();
if (!window.location.hash) window.history.replaceState(null, '', '#/overview');
void route();
