// The CLI's HTTP client for the Cascade API: bearer token, JSON, and the API's error body turned
// into one readable line.
import fs from 'node:fs';
import path from 'node:path';
import type { CascadeConfig } from '../platform/config';

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClient {
  request<T>(method: string, urlPath: string, body?: unknown): Promise<T>;
  requestText(method: string, urlPath: string): Promise<string>;
}

/** The token: --token, then CASCADE_TOKEN, then the first start's token file in the data directory. */
export function resolveToken(flag: string | undefined, config: CascadeConfig): string | undefined {
  if (flag) return flag;
  if (config.cli.token) return config.cli.token;
  const file = path.join(config.dataDir, 'initial-admin-token');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}

export function createApiClient(baseUrl: string, token: string | undefined): ApiClient {
  return {
    async request<T>(method: string, urlPath: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (token) headers.authorization = `Bearer ${token}`;
      let res: Response;
      try {
        res = await fetch(new URL(urlPath, baseUrl), {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        throw new ApiClientError(
          0,
          `cannot reach the Cascade API at ${baseUrl} (${(err as Error).cause ?? (err as Error).message}); is 'make start' running?`,
        );
      }
      const text = await res.text();
      const json = text ? JSON.parse(text) : undefined;
      if (!res.ok && json?.error)
        throw new ApiClientError(res.status, `${res.status} ${json.error.code}: ${json.error.message}`);
      if (!res.ok && res.status !== 503) throw new ApiClientError(res.status, `${res.status} ${text}`);
      return json as T;
    },
    async requestText(method: string, urlPath: string): Promise<string> {
      const res = await fetch(new URL(urlPath, baseUrl), {
        method,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }).catch((err: Error) => {
        throw new ApiClientError(0, `cannot reach the Cascade API at ${baseUrl} (${err.cause ?? err.message})`);
      });
      const text = await res.text();
      if (!res.ok) throw new ApiClientError(res.status, `${res.status} ${text}`);
      return text;
    },
  };
}
