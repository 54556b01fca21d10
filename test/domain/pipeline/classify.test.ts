import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyPipelineQuery } from '../../../domain/pipeline';

const kinds = (text: string) => {
  const r = classifyPipelineQuery(text);
  assert.ok(r.ok, `'${text}' should classify`);
  return r.candidates.map((c) => c.kind);
};

describe('classifyPipelineQuery', () => {
  it('reads name:stream as a module stream and four parts as an NSVC', () => {
    assert.deepEqual(classifyPipelineQuery('nodejs:10'), {
      ok: true,
      candidates: [{ kind: 'module', name: 'nodejs', stream: '10' }],
    });
    assert.deepEqual(classifyPipelineQuery(' nodejs:10:2900002026112504:6c81f848 '), {
      ok: true,
      candidates: [
        {
          kind: 'nsvc',
          nsvc: 'nodejs:10:2900002026112504:6c81f848',
          name: 'nodejs',
          stream: '10',
          version: '2900002026112504',
          context: '6c81f848',
        },
      ],
    });
  });

  it('says why an NSVC with a bad version or a wrong part count is refused', () => {
    const bad = classifyPipelineQuery('nodejs:10:notanumber:6c81f848');
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.message : '', /version 'notanumber'/);
    const three = classifyPipelineQuery('nodejs:10:1');
    assert.match(!three.ok ? three.message : '', /3 parts, not 4/);
  });

  it('gives an NVR before the component of the same spelling, and a plain name as a component', () => {
    assert.deepEqual(classifyPipelineQuery('libcore-1.0-1.module_f29+2+ab12cd34'), {
      ok: true,
      candidates: [
        {
          kind: 'nvr',
          nvr: 'libcore-1.0-1.module_f29+2+ab12cd34',
          name: 'libcore',
          version: '1.0',
          release: '1.module_f29+2+ab12cd34',
        },
        { kind: 'component', name: 'libcore-1.0-1.module_f29+2+ab12cd34', branch: null },
      ],
    });
    assert.deepEqual(kinds('python-requests'), ['component']);
    assert.deepEqual(kinds('python-requests-extra'), ['component']);
  });

  it('reads component@branch, a compose id and a commit hash', () => {
    assert.deepEqual(classifyPipelineQuery('libcore@f29'), {
      ok: true,
      candidates: [{ kind: 'component', name: 'libcore', branch: 'f29' }],
    });
    assert.deepEqual(kinds('Fedora-29-20261130.n.0'), ['compose', 'component']);
    assert.deepEqual(kinds('cascade-29-20261130.0'), ['compose', 'component']);
    assert.deepEqual(kinds('3f2a1c9'), ['commit', 'component']);
    assert.deepEqual(kinds('3f2a1c9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e'), ['commit', 'component']);
  });

  it('refuses empty text and characters no name has', () => {
    assert.equal(classifyPipelineQuery('  ').ok, false);
    assert.equal(classifyPipelineQuery('libcore; rm -rf /').ok, false);
    assert.equal(classifyPipelineQuery('a@b@c').ok, false);
    assert.equal(classifyPipelineQuery('x'.repeat(301)).ok, false);
  });
});
