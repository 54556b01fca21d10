// Calls to Cascade's JSON API with the signed-in person's token. The token lives in sessionStorage
// only: it is gone when the tab closes, and nothing else in the browser keeps it.
const TOKEN_KEY = 'cascade.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An answer other than 2xx, with the API's error code and message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function authHeaders(): Record<string, string> {
  const token = storedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function failureOf(res: Response): Promise<ApiFailure> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return new ApiFailure(res.status, body.error?.code ?? 'error', body.error?.message ?? text);
  } catch {
    return new ApiFailure(res.status, 'error', text || res.statusText);
  }
}

export async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json', ...authHeaders() } });
  if (!res.ok) throw await failureOf(res);
  return (await res.json()) as T;
}

export async function apiText(path: string): Promise<string> {
  const res = await fetch(path, { headers: authHeaders() });
  if (!res.ok) throw await failureOf(res);
  return res.text();
}

export async function apiPost<T>(path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await failureOf(res);
  return (await res.json()) as T;
}

/** One path segment; ':' (in NSVCs and name:stream) stays readable, as it may in a path. */
export const enc = (segment: string) => encodeURIComponent(segment).replace(/%3A/gi, ':');
