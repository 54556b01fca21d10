// CASCADE_BUILDER=koji and its CASCADE_KOJI_* variables: parsed into the hub's settings, each mistake
// named; and platform/build-setup.ts building KojiHubBuilder from them (or saying which file it cannot read).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { KojiHubBuilder, LocalKoji } from '../../activities/koji';
import { createBuilder } from '../../platform/build-setup';
import { loadConfig } from '../../platform/config';

const hub = {
  CASCADE_BUILDER: 'koji',
  CASCADE_KOJI_HUB_URL: 'https://koji.example.org/kojihub/',
  CASCADE_KOJI_TOPURL: 'https://kojipkgs.example.org/',
};

describe('CASCADE_BUILDER=koji configuration', () => {
  it('is LocalKoji by default', () => {
    const config = loadConfig({}, '/srv/cascade');
    assert.equal(config.builds.koji, undefined);
    assert.ok(createBuilder(config) instanceof LocalKoji);
  });

  it('reads the hub, its files, a certificate login and the tag settings', () => {
    const config = loadConfig(
      {
        ...hub,
        CASCADE_KOJI_CERT: 'koji/client.pem',
        CASCADE_KOJI_SERVERCA: '/etc/pki/koji-ca.pem',
        CASCADE_KOJI_ARCHES: 'x86_64 aarch64',
        CASCADE_KOJI_PLATFORM_TAG: 'module-f29-build',
        CASCADE_KOJI_BUILD_GROUP: 'bash rpm-build',
      },
      '/srv/cascade',
    );
    assert.deepEqual(config.builds.koji, {
      hubUrl: 'https://koji.example.org/kojihub',
      topUrl: 'https://kojipkgs.example.org',
      auth: { kind: 'ssl', certFile: '/srv/cascade/koji/client.pem', keyFile: undefined },
      serverCaFile: '/etc/pki/koji-ca.pem',
      arches: 'x86_64 aarch64',
      platformTag: 'module-f29-build',
      buildGroup: ['bash', 'rpm-build'],
    });
  });

  it('names what is missing or contradictory', () => {
    const fails = (env: Record<string, string>, message: RegExp) => assert.throws(() => loadConfig(env), message);
    fails({ CASCADE_BUILDER: 'kojji' }, /CASCADE_BUILDER: .*"local"|CASCADE_BUILDER/);
    fails({ CASCADE_BUILDER: 'koji' }, /CASCADE_KOJI_HUB_URL is needed when CASCADE_BUILDER=koji/);
    fails({ ...hub, CASCADE_KOJI_TOPURL: 'not a url' }, /CASCADE_KOJI_TOPURL/);
    fails(
      hub,
      /CASCADE_BUILDER=koji needs CASCADE_KOJI_CERT \(SSL login\) or CASCADE_KOJI_USER and CASCADE_KOJI_PASSWORD_FILE/,
    );
    fails({ ...hub, CASCADE_KOJI_USER: 'mbs' }, /CASCADE_KOJI_USER and CASCADE_KOJI_PASSWORD_FILE go together/);
    fails(
      { ...hub, CASCADE_KOJI_CERT: 'c.pem', CASCADE_KOJI_USER: 'mbs', CASCADE_KOJI_PASSWORD_FILE: 'p' },
      /two ways to log in: choose one/,
    );
    fails({ ...hub, CASCADE_KOJI_ARCHES: 'x86_64,aarch64' }, /CASCADE_KOJI_ARCHES: space-separated architectures/);
  });

  it('builds KojiHubBuilder with the password file read, or names the file it cannot read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'koji-config-'));
    const env = { ...hub, CASCADE_KOJI_USER: 'mbs', CASCADE_KOJI_PASSWORD_FILE: path.join(dir, 'password') };
    assert.throws(() => createBuilder(loadConfig(env)), /CASCADE_KOJI_PASSWORD_FILE: .*password cannot be read/);
    fs.writeFileSync(path.join(dir, 'password'), 'secret\n');
    assert.ok(createBuilder(loadConfig(env)) instanceof KojiHubBuilder);
    const cert = { ...hub, CASCADE_KOJI_CERT: path.join(dir, 'missing.pem') };
    assert.throws(() => createBuilder(loadConfig(cert)), /missing\.pem cannot be read/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
