import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../platform/config';

describe('loadConfig', () => {
  it('defaults to the embedded stack: PGlite under .data and a local Temporal', () => {
    const config = loadConfig({}, '/srv/cascade');
    assert.deepEqual(config.database, { kind: 'pglite', dataDir: path.join('/srv/cascade/.data/pglite') });
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.equal(config.api.port, 8080);
    assert.equal(config.temporal.tls, undefined);
  });
  it('switches to PostgreSQL and TLS when configured', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@db/cascade',
      TEMPORAL_API_KEY: 'k',
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
    });
    assert.deepEqual(config.database, { kind: 'postgres', url: 'postgresql://u@db/cascade' });
    assert.ok(config.temporal.tls);
    assert.equal(config.temporal.apiKey, 'k');
  });
  it('names the bad variable', () => {
    assert.throws(
      () => loadConfig({ CASCADE_API_PORT: 'eighty' }),
      (e: unknown) => e instanceof ConfigError && /CASCADE_API_PORT/.test(e.message),
    );
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
    assert.throws(() => loadConfig({ TEMPORAL_TLS_CERT: '/c.pem' }), /TEMPORAL_TLS_KEY/);
  });
});
