import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { compareEvr, diffComposes, parseNevra, rpmVersionCompare } from '../../../domain/compose';

// Cases from rpm's own test suite (rpmvercmp.at) and a few of our own.
const CASES: [string, string][] = [
  ['1.0', '1.0'],
  ['1.0', '2.0'],
  ['2.0', '1.0'],
  ['2.0.1', '2.0.1'],
  ['2.0', '2.0.1'],
  ['2.0.1a', '2.0.1'],
  ['5.5p1', '5.5p2'],
  ['5.5p10', '5.5p1'],
  ['10xyz', '10.1xyz'],
  ['xyz10', 'xyz10.1'],
  ['xyz.4', '8'],
  ['8', 'xyz.4'],
  ['1b', '1a'],
  ['1.0010', '1.9'],
  ['1.05', '1.5'],
  ['1.0', '1'],
  ['2.50', '2.5'],
  ['fc4', 'fc.4'],
  ['FC5', 'fc4'],
  ['2a', '2.0'],
  ['1.0a', '1.0'],
  ['6.0.rc1', '6.0'],
  ['10b2', '10a1'],
  ['1.0~rc1', '1.0'],
  ['1.0~rc1', '1.0~rc2'],
  ['1.0~rc1~git123', '1.0~rc1'],
  ['1.0^', '1.0'],
  ['1.0^git1', '1.0'],
  ['1.0^git1', '1.01'],
  ['1.0^git1~pre', '1.0^git1'],
  ['1.0^20160101', '1.0.1'],
  ['1.0~rc1^git1', '1.0~rc1'],
  ['1_0', '1.0'],
  ['+1', '1'],
  ['001', '1'],
  ['1.a', '1'],
  ['1.module_f29+7+abc', '1.module_f29+10+abc'],
];

function rpmVercmpAll(cases: [string, string][]): number[] {
  const calls = cases.map(([a, b]) => `print(rpm.vercmp("${a}", "${b}")) print(" ")`).join(' ');
  const out = execFileSync('rpm', ['--eval', `%{lua: ${calls}}`], { encoding: 'utf8' });
  return out.trim().split(/\s+/).map(Number);
}

describe('rpm version comparison', () => {
  it("agrees with rpm's own rpm.vercmp on every case", () => {
    const expected = rpmVercmpAll(CASES);
    assert.equal(expected.length, CASES.length);
    const mismatches = CASES.flatMap(([a, b], i) =>
      rpmVersionCompare(a, b) === expected[i]
        ? []
        : [`${a} vs ${b}: rpm says ${expected[i]}, we say ${rpmVersionCompare(a, b)}`],
    );
    assert.deepEqual(mismatches, []);
  });

  it('compares the epoch before the version and release', () => {
    const n = (t: string) => parseNevra(t)!;
    assert.equal(compareEvr(n('bash-1:1.0-1.x86_64'), n('bash-0:9.0-1.x86_64')), 1);
    assert.equal(compareEvr(n('bash-1.0-2.x86_64'), n('bash-0:1.0-10.x86_64')), -1);
  });
});

describe('what changed between two composes', () => {
  it('lists module streams and RPMs added, removed, upgraded and downgraded per variant', () => {
    const diff = diffComposes(
      {
        composeId: 'cascade-29-20260301.n.0',
        variants: {
          Server: {
            modules: ['greeting:f29:20260301000000:aaaa', 'old:1:1:cccc', 'pinned:2:5:dddd'],
            rpms: ['greeter-0:1.0-1.noarch', 'gone-0:1-1.noarch', 'pinned-0:2.0-1.noarch'],
          },
          Gone: { modules: [], rpms: ['x-0:1-1.noarch'] },
        },
      },
      {
        composeId: 'cascade-29-20260302.n.0',
        variants: {
          Server: {
            modules: ['greeting:f29:20260302000000:bbbb', 'new:1:1:eeee', 'pinned:2:4:dddd'],
            rpms: ['greeter-0:1.0-2.noarch', 'fresh-0:1-1.noarch', 'pinned-0:2.0~rc1-1.noarch'],
          },
        },
      },
    );
    assert.equal(diff.from, 'cascade-29-20260301.n.0');
    const server = diff.variants.find((v) => v.variant === 'Server')!;
    assert.equal(server.status, 'changed');
    assert.deepEqual(server.modules.added, ['new:1:1:eeee']);
    assert.deepEqual(server.modules.removed, ['old:1:1:cccc']);
    assert.deepEqual(server.modules.upgraded, [
      { key: 'greeting:f29', from: 'greeting:f29:20260301000000:aaaa', to: 'greeting:f29:20260302000000:bbbb' },
    ]);
    assert.deepEqual(
      server.modules.downgraded.map((c) => c.key),
      ['pinned:2'],
    );
    assert.deepEqual(server.rpms.added, ['fresh-0:1-1.noarch']);
    assert.deepEqual(server.rpms.removed, ['gone-0:1-1.noarch']);
    assert.deepEqual(
      server.rpms.upgraded.map((c) => c.key),
      ['greeter.noarch'],
    );
    assert.deepEqual(
      server.rpms.downgraded.map((c) => c.key),
      ['pinned.noarch'],
    );
    assert.equal(diff.variants.find((v) => v.variant === 'Gone')!.status, 'removed');
  });
});
