// An XML-RPC client for a Koji hub (1.36), as koji's own ClientSession talks to it: anonymous calls
// for reads; a session from `login` (user and password) or `sslLogin` (a client certificate, over
// https at <hub>/ssllogin) for writes, its id, key and call number sent in the Koji-Session-* headers
// the hub has read since 1.30 (the URL query for a hub whose session lacks `header-auth`). A
// connection failure is retried a few times with the same call number, as koji's client resends the
// same request, so the hub can answer RetryError when the first attempt did reach it; an expired or
// unknown session (a restarted hub) logs in again once. Faults become KojiCallError naming the method.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { KojiFault, decodeMethodResponse, encodeMethodCall, type XmlRpcValue } from '../../platform/xmlrpc-codec';

export type KojiAuth =
  { kind: 'ssl'; certFile: string; keyFile?: string } | { kind: 'password'; user: string; password: string };

export interface KojiHubClientOptions {
  /** the hub's XML-RPC endpoint, e.g. https://koji.example.org/kojihub */
  hubUrl: string;
  auth?: KojiAuth;
  /** PEM file of the CA the hub's certificate chains to (koji's `serverca`); the system's otherwise */
  serverCaFile?: string;
  /** attempts after a connection failure, and the pause between them */
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
}

/** The hub answered with a fault: the call reached it and failed. */
export class KojiCallError extends Error {
  constructor(
    readonly method: string,
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`Koji hub: ${method} failed with fault ${faultCode}: ${faultString}`);
    this.name = 'KojiCallError';
  }
}

/** The hub could not be reached (or answered an HTTP error) after every retry. */
export class KojiUnreachableError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    cause: string,
  ) {
    super(`Koji hub at ${url} unreachable for ${method}: ${cause}`);
    this.name = 'KojiUnreachableError';
  }
}

export const KOJI_FAULT = {
  AuthError: 1002,
  AuthExpired: 1007,
  RetryError: 1009,
  ServerOffline: 1014,
} as const;

export interface KojiCall {
  method: string;
  args?: XmlRpcValue[];
  kwargs?: Record<string, XmlRpcValue>;
}

/** One multicall entry's answer: its value, or its fault. */
export type KojiCallOutcome = { value: XmlRpcValue } | { fault: KojiCallError };

interface Session {
  id: number;
  key: string;
  headerAuth: boolean;
  callnum: number;
}

class HttpFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export class KojiHubClient {
  private session?: Session;
  private loggingIn?: Promise<Session>;
  private sessionQueue: Promise<unknown> = Promise.resolve();
  private readonly tls: https.AgentOptions;

  constructor(private readonly options: KojiHubClientOptions) {
    const read = (file: string | undefined, what: string) => {
      if (!file) return undefined;
      try {
        return fs.readFileSync(file);
      } catch (err) {
        throw new Error(`Koji ${what} ${file} cannot be read: ${(err as Error).message}`);
      }
    };
    const auth = options.auth;
    this.tls = {
      ca: read(options.serverCaFile, 'server CA'),
      cert: auth?.kind === 'ssl' ? read(auth.certFile, 'client certificate') : undefined,
      key: auth?.kind === 'ssl' ? read(auth.keyFile ?? auth.certFile, 'client key') : undefined,
    };
  }

  get hubUrl(): string {
    return this.options.hubUrl.replace(/\/+$/, '');
  }

  /** An anonymous call (reads). */
  async call(method: string, args: XmlRpcValue[] = [], kwargs: Record<string, XmlRpcValue> = {}): Promise<XmlRpcValue> {
    return this.send(method, encodeMethodCall(method, args, kwargs), undefined);
  }

  /**
   * A call in the logged-in session (writes), logging in first when there is none. Session calls go
   * one at a time: their call numbers must reach the hub in order (kojihub answers SequenceError to a
   * number lower than one it has seen), as a koji ClientSession is used by one thread at a time.
   */
  callLoggedIn(
    method: string,
    args: XmlRpcValue[] = [],
    kwargs: Record<string, XmlRpcValue> = {},
  ): Promise<XmlRpcValue> {
    const turn = this.sessionQueue.then(() => this.callInSession(method, args, kwargs));
    this.sessionQueue = turn.catch(() => undefined);
    return turn;
  }

  private async callInSession(
    method: string,
    args: XmlRpcValue[],
    kwargs: Record<string, XmlRpcValue>,
  ): Promise<XmlRpcValue> {
    const body = encodeMethodCall(method, args, kwargs);
    try {
      return await this.send(method, body, await this.ensureSession());
    } catch (err) {
      if (!isSessionLost(err)) throw err;
      // The hub forgot the session (expired, or restarted): log in again once, as koji's client renews.
      this.session = undefined;
      return this.send(method, body, await this.ensureSession());
    }
  }

  /**
   * Several calls in one round trip (kojixmlrpc's multiCall): each answer or fault in order. Anonymous
   * unless `loggedIn`.
   */
  async multicall(calls: KojiCall[], options: { loggedIn?: boolean } = {}): Promise<KojiCallOutcome[]> {
    const entries = calls.map((c) => {
      const { kwargs = {} } = c;
      const params = Object.keys(kwargs).length ? [...(c.args ?? []), { ...kwargs, __starstar: true }] : (c.args ?? []);
      return { methodName: c.method, params };
    });
    const method = 'multiCall';
    const answer = options.loggedIn ? await this.callLoggedIn(method, [entries]) : await this.call(method, [entries]);
    if (!Array.isArray(answer) || answer.length !== calls.length)
      throw new KojiCallError(method, 1000, `expected ${calls.length} answers, got ${JSON.stringify(answer)}`);
    return answer.map((one, i) => {
      if (Array.isArray(one)) return { value: one[0] ?? null };
      const fault = (one ?? {}) as Record<string, XmlRpcValue>;
      return {
        fault: new KojiCallError(calls[i]!.method, Number(fault.faultCode ?? 1000), String(fault.faultString ?? '')),
      };
    });
  }

  /** Who the session belongs to (getLoggedInUser), logging in first. */
  async loggedInUser(): Promise<{ id: number; name: string }> {
    const user = (await this.callLoggedIn('getLoggedInUser')) as Record<string, XmlRpcValue> | null;
    if (!user || typeof user.id !== 'number')
      throw new KojiCallError('getLoggedInUser', 1002, 'no user for the session');
    return { id: user.id, name: String(user.name) };
  }

  async logout(): Promise<void> {
    if (!this.session) return;
    const session = this.session;
    this.session = undefined;
    await this.send('logout', encodeMethodCall('logout', []), session).catch(() => undefined);
  }

  private ensureSession(): Promise<Session> {
    if (this.session) return Promise.resolve(this.session);
    this.loggingIn ??= this.login().finally(() => (this.loggingIn = undefined));
    return this.loggingIn;
  }

  private async login(): Promise<Session> {
    const auth = this.options.auth;
    if (!auth) throw new KojiCallError('login', KOJI_FAULT.AuthError, 'no Koji credentials are configured');
    const sinfo =
      auth.kind === 'ssl'
        ? await this.send('sslLogin', encodeMethodCall('sslLogin', []), undefined, `${this.sslBase()}/ssllogin`)
        : await this.send('login', encodeMethodCall('login', [auth.user, auth.password], { opts: null }), undefined);
    const info = (sinfo ?? {}) as Record<string, XmlRpcValue>;
    if (typeof info['session-id'] !== 'number' || typeof info['session-key'] !== 'string')
      throw new KojiCallError(auth.kind === 'ssl' ? 'sslLogin' : 'login', KOJI_FAULT.AuthError, 'no session returned');
    this.session = {
      id: info['session-id'],
      key: info['session-key'],
      headerAuth: info['header-auth'] === true,
      callnum: 0,
    };
    return this.session;
  }

  /** Koji's client forces https for sslLogin. */
  private sslBase(): string {
    return this.hubUrl.replace(/^http:/, 'https:');
  }

  private async send(
    method: string,
    body: string,
    session: Session | undefined,
    url = this.hubUrl,
  ): Promise<XmlRpcValue> {
    const headers: Record<string, string> = { 'content-type': 'text/xml', 'user-agent': 'cascade-koji/1' };
    let target = url;
    if (session) {
      const callnum = session.callnum++;
      if (session.headerAuth) {
        headers['koji-session-id'] = String(session.id);
        headers['koji-session-key'] = session.key;
        headers['koji-session-callnum'] = String(callnum);
      } else {
        const query = new URLSearchParams({
          'session-id': String(session.id),
          'session-key': session.key,
          callnum: String(callnum),
        });
        target = `${url}?${query}`;
      }
    }
    const attempts = 1 + (this.options.retries ?? 4);
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return decodeMethodResponse(await this.post(target, headers, body));
      } catch (err) {
        if (err instanceof KojiFault) throw new KojiCallError(method, err.faultCode, err.message);
        if (err instanceof HttpFailure && !err.retryable) throw new KojiUnreachableError(method, url, err.message);
        last = (err as Error).message;
        if (attempt < attempts) await new Promise((r) => setTimeout(r, this.options.retryDelayMs ?? 1000));
      }
    }
    throw new KojiUnreachableError(method, url, last);
  }

  private post(url: string, headers: Record<string, string>, body: string): Promise<string> {
    const parsed = new URL(url);
    const transport = parsed.protocol === 'https:' ? https : http;
    const payload = Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      const req = transport.request(
        parsed,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(payload.length) },
          timeout: this.options.timeoutMs ?? 60_000,
          ...(parsed.protocol === 'https:' ? this.tls : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(text);
            // 5xx: a proxy in front of a hub that is restarting; 4xx: a wrong URL, not worth retrying.
            reject(new HttpFailure(`HTTP ${status} ${res.statusMessage ?? ''}`.trim(), status >= 500));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs ?? 60_000} ms`)));
      req.on('error', (err) => reject(isCertificateError(err) ? new HttpFailure(err.message, false) : err));
      req.end(payload);
    });
  }
}

const isSessionLost = (err: unknown) =>
  err instanceof KojiCallError &&
  (err.faultCode === KOJI_FAULT.AuthExpired ||
    (err.faultCode === KOJI_FAULT.AuthError && /invalid session|session.*expired/i.test(err.faultString)));

/** TLS verification failures do not heal by retrying (koji's client does not retry them either). */
function isCertificateError(err: Error & { code?: string }): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_SSL|ERR_TLS|alert/i.test(`${err.code ?? ''} ${err.message}`);
}
