import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { BuildrootInputs } from '../../../domain/module-build';
import { computeBuildrootHash } from '../../../domain/module-build';

const inputs: BuildrootInputs = {
  buildrequires: ['platform:f29:4:00000000', 'perl-bootstrap:5.26:20180417064707:6c81f848'],
  earlierBatchArtifacts: ['perl-5.26.2-413.module_1681+b405d8e2', 'perl-Carp-1.42-396.module_1681+b405d8e2'],
  macros: '%_with_perl_enables_groff 1\n',
  buildopts: { rpms: { macros: '%_with_perl_enables_groff 1\n', whitelist: [] }, arches: ['x86_64'] },
};

function hashOf(value: BuildrootInputs): string {
  const result = computeBuildrootHash(value);
  assert.ok(result.ok);
  return result.hash;
}

describe('buildroot hash', () => {
  it('is SHA-256 over the documented canonical JSON, stable across runs', () => {
    const canonical =
      '{"buildopts":{"arches":["x86_64"],"rpms":{"macros":"%_with_perl_enables_groff 1\\n","whitelist":[]}},' +
      '"buildrequires":["perl-bootstrap:5.26:20180417064707:6c81f848","platform:f29:4:00000000"],' +
      '"earlierBatchArtifacts":["perl-5.26.2-413.module_1681+b405d8e2","perl-Carp-1.42-396.module_1681+b405d8e2"],' +
      '"macros":"%_with_perl_enables_groff 1\\n","scheme":"cascade-buildroot-v1"}';
    assert.equal(hashOf(inputs), createHash('sha256').update(canonical).digest('hex'));
  });

  it('does not depend on the order of the lists or of the buildopts keys, nor on duplicates', () => {
    const reordered: BuildrootInputs = {
      buildopts: { arches: ['x86_64'], rpms: { whitelist: [], macros: '%_with_perl_enables_groff 1\n' } },
      macros: inputs.macros,
      earlierBatchArtifacts: [...inputs.earlierBatchArtifacts].reverse(),
      buildrequires: [...inputs.buildrequires, ...inputs.buildrequires].reverse(),
    };
    assert.equal(hashOf(reordered), hashOf(inputs));
  });

  it('changes when any input changes', () => {
    const base = hashOf(inputs);
    const variants: BuildrootInputs[] = [
      { ...inputs, buildrequires: ['platform:f29:5:00000000', inputs.buildrequires[1]!] },
      { ...inputs, buildrequires: inputs.buildrequires.slice(0, 1) },
      {
        ...inputs,
        earlierBatchArtifacts: [...inputs.earlierBatchArtifacts, 'perl-Exporter-5.72-1.module_1681+b405d8e2'],
      },
      { ...inputs, earlierBatchArtifacts: [] },
      { ...inputs, macros: '' },
      { ...inputs, buildopts: { ...(inputs.buildopts as object), arches: ['aarch64', 'x86_64'] } },
      { ...inputs, buildopts: null },
    ];
    const hashes = new Set(variants.map(hashOf));
    assert.equal(hashes.size, variants.length);
    assert.ok(!hashes.has(base));
  });

  it('keeps list boundaries: moving a name between the lists changes the hash', () => {
    const moved: BuildrootInputs = {
      ...inputs,
      buildrequires: [...inputs.buildrequires, inputs.earlierBatchArtifacts[0]!],
      earlierBatchArtifacts: inputs.earlierBatchArtifacts.slice(1),
    };
    assert.notEqual(hashOf(moved), hashOf(inputs));
  });

  it('reports buildopts JSON cannot carry, naming where', () => {
    const result = computeBuildrootHash({ ...inputs, buildopts: { rpms: { jobs: Number.NaN } } });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'not-json');
    assert.match(result.error.message, /buildopts\.rpms\.jobs/);
    const dated = computeBuildrootHash({ ...inputs, buildopts: { when: new Date(0) } });
    assert.ok(!dated.ok);
    assert.match(dated.error.message, /a Date/);
  });
});
