// A private CA made with openssl for a test: a server certificate for 127.0.0.1 and client
// certificates by common name (each also written as one PEM with its key, as koji's `cert` takes it).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestCa {
  dir: string;
  caFile: string;
  serverCert: string;
  serverKey: string;
  /** cert and key files of a client certificate for `cn`, and both in one PEM */
  client(cn: string, signedBy?: 'ca' | 'self'): { cert: string; key: string; pem: string };
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

/** A self-signed certificate `<name>.pem` with its key `<name>.key` in `dir`, valid for a day. */
export function selfSigned(
  name: string,
  subject: string,
  dir: string,
  extra: string[] = [],
): { cert: string; key: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      subject,
      ...extra,
    ],
    dir,
  );
  return { cert, key };
}

export function makeTestCa(dir: string): TestCa {
  fs.mkdirSync(dir, { recursive: true });
  selfSigned('ca', '/CN=cascade-test-ca', dir);
  const sign = (name: string, subject: string, extensions?: string) => {
    openssl(
      ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject],
      dir,
    );
    const ext = extensions ? ['-extfile', path.join(dir, `${name}.ext`)] : [];
    if (extensions) fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '1',
        '-out',
        `${name}.pem`,
        ...ext,
      ],
      dir,
    );
  };
  sign('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\n');
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    serverCert: path.join(dir, 'server.pem'),
    serverKey: path.join(dir, 'server.key'),
    client(cn, signedBy = 'ca') {
      const name = `client-${cn}-${signedBy}`;
      if (signedBy === 'ca') sign(name, `/CN=${cn}`);
      else selfSigned(name, `/CN=${cn}`, dir);
      const cert = path.join(dir, `${name}.pem`);
      const key = path.join(dir, `${name}.key`);
      const pem = path.join(dir, `${name}-with-key.pem`);
      fs.writeFileSync(pem, fs.readFileSync(cert, 'utf8') + fs.readFileSync(key, 'utf8'));
      return { cert, key, pem };
    },
  };
}
