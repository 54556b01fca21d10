// A real SMTP server (smtp-server) on 127.0.0.1 and a free port that keeps every message it accepts,
// offers STARTTLS with a given certificate and checks AUTH against one user when asked to, and refuses the recipients a test names with the reply
// code it names (a 4xx once, then accepted; a 5xx for good).
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** MAIL FROM and RCPT TO, as the envelope said */
  from: string;
  to: string[];
  /** the AUTH user of the session, when it authenticated */
  user?: string;
  /** whether the session had switched to TLS (STARTTLS) when the message came */
  secure: boolean;
  /** header name (lower case) → its unfolded value */
  headers: Map<string, string>;
  /** the body, decoded from quoted-printable when it was sent so */
  text: string;
}

interface Refusal {
  code: number;
  text: string;
  times: number;
}

export interface SmtpSink {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** RCPT TO commands seen per address (lower case), accepted or refused */
  attempts: Map<string, number>;
  /** answer RCPT TO for this address with `code text`, the next `times` times (forever by default) */
  refuse(address: string, code: number, text: string, times?: number): void;
  stop(): Promise<void>;
}

export async function startSmtpSink(
  options: {
    auth?: { user: string; password: string };
    /** offer STARTTLS with this key and certificate (PEM) */
    tls?: { key: string; cert: string };
  } = {},
): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const refusals = new Map<string, Refusal>();
  const attempts = new Map<string, number>();
  const server = new SMTPServer({
    // plain SMTP on loopback unless a certificate is given
    disabledCommands: [...(options.tls ? [] : ['STARTTLS']), ...(options.auth ? [] : ['AUTH'])],
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    allowInsecureAuth: true,
    authOptional: !options.auth,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.password)
        return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const key = address.address.toLowerCase();
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      const refusal = refusals.get(key);
      if (!refusal || refusal.times === 0) return callback();
      refusal.times -= 1;
      callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          secure: session.secure,
          ...parseMessage(Buffer.concat(chunks).toString('utf8')),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    received,
    attempts,
    refuse: (address, code, text, times = Infinity) => refusals.set(address.toLowerCase(), { code, text, times }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers unfolded and keyed in lower case; a quoted-printable body decoded as UTF-8. */
function parseMessage(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers.get('content-transfer-encoding') ?? '')) {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return { headers, text: body.replace(/\r\n/g, '\n') };
}
