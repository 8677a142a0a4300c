/* global fetch, URLSearchParams */
/**
 * The dashboard's only way to the server: GET a JSON route. A non-2xx answer becomes an ApiError carrying the
 * server's `{ error: { code, message } }`, so pages can show its message (and treat 404 as "not found").
 */

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** GET `/api/<path>` with optional query parameters; resolves with the parsed JSON. */
export async function api(path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const url = `/api/${path}${params.size > 0 ? `?${params}` : ''}`;
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'network', 'The dashboard server did not answer. Is `segmenta dashboard` still running?');
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
