/* global fetch, URLSearchParams, sessionStorage */
/**
 * The dashboard's only way to the server: GET a JSON route of the read API, `/v1/dashboard/<path>`, the same in
 * `segmenta dashboard` and `segmenta serve`. Under `segmenta serve` those routes need the admin token: once signed
 * in, the page keeps it in this tab's sessionStorage (gone when the tab closes) and sends it as
 * `Authorization: Bearer`. A non-2xx answer becomes an ApiError carrying the server's `{ error: { code, message } }`,
 * so pages can show its message (and treat 404 as "not found"; the app treats 401 as "sign in").
 */

const API_ROOT = '/v1/dashboard/';
const TOKEN_KEY = 'segmenta.adminToken';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** The admin token this tab signed in with, or null. */
export function adminToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    // Storage can be switched off by the browser; the dashboard then works only where no token is needed.
    return null;
  }
}

/** Keeps `token` for this tab's later requests. */
export function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/** Forgets the token. */
export function signOut() {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing was kept.
  }
}

/** GET `/v1/dashboard/<path>` with optional query parameters; resolves with the parsed JSON. */
export async function api(path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const url = `${API_ROOT}${path}${params.size > 0 ? `?${params}` : ''}`;
  const headers = { Accept: 'application/json' };
  const token = adminToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(url, { headers });
  } catch {
    throw new ApiError(0, 'network', 'The server did not answer. Is `segmenta dashboard` (or `segmenta serve`) still running?');
  }
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(response.status, 'bad_response', `The server sent something that is not JSON for ${url} (status ${response.status}).`);
  }
  if (!response.ok) {
    const error = body && body.error ? body.error : {};
    throw new ApiError(response.status, error.code ?? 'error', error.message ?? `The server answered ${response.status} for ${url}.`);
  }
  return body;
}
