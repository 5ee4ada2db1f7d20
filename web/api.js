// The JSON API of dixit-searchd, same origin: /search, /quotes/{id}, /latest, /contexts/latest, /facets/{field}.

/** An error answer of the API ({"error": {"code", "message", "position"}}) or a network failure. */
export class ApiError extends Error {
  constructor(status, code, message, position) {
    super(message);
    this.status = status;
    this.code = code;
    this.position = position;
  }
}

/** GET path?params as JSON; throws ApiError (AbortError passes through). */
export async function getJSON(path, params, signal) {
  const query = params ? params.toString() : '';
  let response;
  try {
    response = await fetch(query ? `${path}?${query}` : path, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The server could not be reached. Is dixit-searchd running?');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body && body.error) || {};
    throw new ApiError(response.status, error.code || 'http', error.message || `HTTP ${response.status}`, error.position);
  }
  return body;
}

/** GET /search with these parameters. */
export const search = (params, signal) => getJSON('/search', params, signal);

/** GET /quotes/{id}. */
export const quote = (id, signal) => getJSON('/quotes/' + encodeURIComponent(id), null, signal);

/** GET /latest (quotes published in the last hours). */
export const latest = (params, signal) => getJSON('/latest', params, signal);

/** GET /contexts/latest (contexts that appeared in the last hours). */
export const latestContexts = (hours, signal) => getJSON('/contexts/latest', new URLSearchParams({ hours }), signal);

/** GET /facets/{field}: the field's values over the whole index, optionally those with a word starting with prefix. */
export const facetValues = (field, prefix, size, signal) =>
  getJSON('/facets/' + field, new URLSearchParams({ prefix, size }), signal);
