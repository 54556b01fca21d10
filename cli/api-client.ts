// The CLI's HTTP client for the Cascade API: bearer token, JSON, and the API's error body turned
// into one readable line.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { CascadeConfig } from '../platform/config';

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The API's error code (`error.code` of its body), when it sent one. */
    readonly code?: string,
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

/**
 * One HTTP exchange with node:http(s). Not fetch: Node compiles its fetch implementation (undici) on
 * first use, about 0.15 s of CPU, more than the rest of a CLI command's start.
 */
function exchange(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<{ status: number; text: string }> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const unreachable = (baseUrl: string, err: Error, hint = '') =>
  new ApiClientError(0, `cannot reach the Cascade API at ${baseUrl} (${err.message})${hint}`);

export function createApiClient(baseUrl: string, token: string | undefined): ApiClient {
  return {
    async request<T>(method: string, urlPath: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await exchange(
        method,
        new URL(urlPath, baseUrl),
        headers,
        body === undefined ? undefined : JSON.stringify(body),
      ).catch((err: Error) => {
        throw unreachable(baseUrl, err, "; is 'make start' running?");
      });
      const json = res.text ? JSON.parse(res.text) : undefined;
      const ok = res.status >= 200 && res.status < 300;
      if (!ok && json?.error)
        throw new ApiClientError(
          res.status,
          `${res.status} ${json.error.code}: ${json.error.message}`,
          json.error.code,
        );
      if (!ok && res.status !== 503) throw new ApiClientError(res.status, `${res.status} ${res.text}`);
      return json as T;
    },
    async requestText(method: string, urlPath: string): Promise<string> {
      const res = await exchange(
        method,
        new URL(urlPath, baseUrl),
        token ? { authorization: `Bearer ${token}` } : {},
        undefined,
      ).catch((err: Error) => {
        throw unreachable(baseUrl, err);
      });
      if (res.status < 200 || res.status >= 300) throw new ApiClientError(res.status, `${res.status} ${res.text}`);
      return res.text;
    },
  };
}
