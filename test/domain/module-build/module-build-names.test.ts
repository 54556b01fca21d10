import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  derivedDisttagIndex,
  formatNsvc,
  kojiBuildTagName,
  kojiTagName,
  moduleDisttag,
  moduleKojiNvr,
  parseNsvc,
  sha1Hex,
} from '../../../domain/module-build';
import { loadFedora29Streams, nsvcOf } from './fedora29-index';

describe('NSVC', () => {
  it('formats and parses name:stream:version:context, streams kept as written', () => {
    const nsvc = { name: 'golang', stream: '1.10', version: '20180816140129', context: '6c81f848' };
    assert.equal(formatNsvc(nsvc), 'golang:1.10:20180816140129:6c81f848');
    assert.deepEqual(parseNsvc('golang:1.10:20180816140129:6c81f848'), { ok: true, nsvc });
  });

  it('rejects a text without four parts, with an empty part, or with a version that is not a uint64', () => {
    for (const text of [
      'golang:1.10:20180816140129',
      'a:b:1:c:d',
      ':1.10:1:c',
      'a:b:1:',
      'a:b:v1:c',
      'a:b:18446744073709551616:c',
    ]) {
      const result = parseNsvc(text);
      assert.ok(!result.ok, text);
      assert.equal(result.error.code, 'invalid-nsvc');
    }
  });

  it('names the module’s Koji build as MBS does: stream dashes become underscores', () => {
    const nvr = moduleKojiNvr({
      name: 'kubernetes',
      stream: 'openshift-3.10',
      version: '20180827171820',
      context: '6c81f848',
    });
    assert.equal(nvr, 'kubernetes-openshift_3.10-20180827171820.6c81f848');
  });
});

describe('Koji tags', () => {
  it('names the tag module-<name>-<stream>-<version>-<context> and its build tag <tag>-build', () => {
    const tag = kojiTagName('nodejs', '10', '20180920144631', '6c81f848');
    assert.equal(tag, 'module-nodejs-10-20180920144631-6c81f848');
    assert.equal(kojiBuildTagName(tag), 'module-nodejs-10-20180920144631-6c81f848-build');
  });

  it('falls back to module-<16 hex of SHA-1 of n.s.v.c> when the build tag would exceed 256 characters', () => {
    // "module-" (7) + name (214) + "-s-1-" (5) + context (24) + "-build" (6) = 256: the longest that fits.
    const name = 'n'.repeat(214);
    const fits = kojiTagName(name, 's', '1', 'c'.repeat(24));
    assert.equal(fits.length + '-build'.length, 256);
    assert.ok(fits.startsWith('module-n'));
    const long = kojiTagName(name, 's', '1', 'c'.repeat(25));
    assert.equal(long, `module-${sha1Hex(`${name}.s.1.${'c'.repeat(25)}`).slice(0, 16)}`);
  });

  it('names scratch builds scrmod-...+<id>', () => {
    assert.equal(kojiTagName('nodejs', '10', '1', 'c', { scratchId: 7 }), 'scrmod-nodejs-10-1-c+7');
  });
});

describe('module %dist', () => {
  it('takes the MBS 3.9 form .<prefix><marking>+<build id>+<hash8 of n.s.v.c>', () => {
    const hash = sha1Hex('nodejs.10.2920180920144631.6c81f848').slice(0, 8);
    assert.equal(
      moduleDisttag('nodejs', '10', '2920180920144631', '6c81f848', { buildId: 2177, baseModuleMarking: 'f29' }),
      `.module_f29+2177+${hash}`,
    );
    assert.equal(
      moduleDisttag('nodejs', '10', '1', 'c', { buildId: 5, baseModuleMarking: 'el8.0.0', prefix: 'module+' }),
      `.module+el8.0.0+5+${sha1Hex('nodejs.10.1.c').slice(0, 8)}`,
    );
  });

  it('derives a stable build id from name:stream:version without Koji, shared by MSE siblings', () => {
    const first = moduleDisttag('nodejs', '10', '1', 'aaaaaaaa');
    const sibling = moduleDisttag('nodejs', '10', '1', 'bbbbbbbb');
    const index = derivedDisttagIndex('nodejs', '10', '1');
    assert.equal(first.split('+')[0], `.module_${index}`);
    assert.equal(sibling.split('+')[0], `.module_${index}`);
    assert.notEqual(first, sibling);
    assert.equal(moduleDisttag('nodejs', '10', '1', 'aaaaaaaa'), first);
  });

  it('reproduces the dist tags of the RPMs built by the Fedora 29 streams themselves (29 of 48 streams)', () => {
    // The other 19 streams' RPMs all carry the dist tag of an earlier build of the stream, whose components
    // this build reused (MBS takes reused RPMs over unchanged), so their hash is of another NSVC.
    const streamsWithOwnRpms = loadFedora29Streams().filter((stream) =>
      stream.artifacts.rpms.some((nevra) => {
        const match = /\.module_(\d+)\+([0-9a-f]{8})\./.exec(nevra);
        if (!match) return false;
        const disttag = moduleDisttag(stream.name!, stream.stream!, stream.version!, stream.context!, {
          buildId: Number(match[1]),
        });
        return disttag === `.module_${match[1]}+${match[2]}`;
      }),
    );
    assert.equal(streamsWithOwnRpms.length, 29, streamsWithOwnRpms.map(nsvcOf).join('\n'));
  });
});
