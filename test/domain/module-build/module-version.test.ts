import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeModuleVersion, formatCommitTimeVersion, platformVersionPrefix } from '../../../domain/module-build';

describe('module version from the commit time, as MBS 3.9 gives it', () => {
  const commitTime = new Date('2018-02-05T13:51:54Z');

  it('formats the commit time in UTC as YYYYMMDDHHMMSS, whatever the local time zone', () => {
    assert.equal(formatCommitTimeVersion(new Date('2018-04-05T14:32:56+02:00')), '20180405123256');
  });

  it('prefixes the version with the platform stream’s version (MBS’s own test: f28 -> 2820180205135154)', () => {
    assert.equal(computeModuleVersion(commitTime, 'f28'), '2820180205135154');
  });

  it('pads dotted platform versions and drops a suffix (MBS’s test: fl7.0.1-beta -> 7000120180205135154)', () => {
    assert.equal(computeModuleVersion(commitTime, 'fl7.0.1-beta'), '7000120180205135154');
  });

  it('reads platform prefixes as MBS does, leading zeros dropped', () => {
    assert.equal(platformVersionPrefix('f29'), '29');
    assert.equal(platformVersionPrefix('f27.0.1'), '270001');
    assert.equal(platformVersionPrefix('el8.2.0'), '80200');
    assert.equal(platformVersionPrefix('el8'), '8');
    assert.equal(platformVersionPrefix('eln'), undefined);
  });

  it('keeps the bare time without a platform stream or when the stream has no digits', () => {
    assert.equal(computeModuleVersion(commitTime), '20180205135154');
    assert.equal(computeModuleVersion(commitTime, 'eln'), '20180205135154');
  });

  it('keeps the bare time when the prefixed version would not fit in 64 bits', () => {
    assert.equal(computeModuleVersion(commitTime, 'f12345678'), '20180205135154');
  });

  it('keeps versions beyond Number.MAX_SAFE_INTEGER exact, as decimal text', () => {
    assert.equal(computeModuleVersion(new Date('2020-01-01T00:00:01Z'), 'el8.2.0'), '8020020200101000001');
  });

  it('rejects an invalid date', () => {
    assert.throws(() => computeModuleVersion(new Date('not a date'), 'f29'), RangeError);
  });
});
