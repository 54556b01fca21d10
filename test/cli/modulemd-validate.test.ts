import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const cascade = path.join(__dirname, '..', '..', 'bin', 'cascade');
const fixtures = path.join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'modulemd');
const run = (...args: string[]) => spawnSync(cascade, args, { encoding: 'utf8' });

describe('bin/cascade modulemd validate', () => {
  it('exits 0 for a valid module index', () => {
    const r = run('modulemd', 'validate', path.join(fixtures, 'valid', 'fedora29-index.yaml'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /valid/);
  });
  it('exits 1 naming the field and line for an invalid document', () => {
    const r = run('modulemd', 'validate', path.join(fixtures, 'invalid', 'mixed-buildorder-buildafter-v2.yaml'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /data\.components\.rpms\.\S+\.buildafter: .*\(line \d+\)/);
  });
  it('validates the packager v3 format with --type', () => {
    assert.equal(
      run(
        'modulemd',
        'validate',
        '--type',
        'modulemd-packager-v3',
        path.join(fixtures, 'packager-v3', 'valid', 'spec-packager-v3.yaml'),
      ).status,
      0,
    );
    assert.equal(
      run(
        'modulemd',
        'validate',
        '--type',
        'modulemd-packager-v3',
        path.join(fixtures, 'packager-v3', 'invalid', 'bad-packager-v3.yaml'),
      ).status,
      1,
    );
  });
  it('exits 1 naming the file it cannot read', () => {
    const r = run('modulemd', 'validate', '/nonexistent/module.yaml');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /\/nonexistent\/module\.yaml: cannot read/);
  });
});
