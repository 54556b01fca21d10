import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { describeModulemdError, validateDocumentText } from '../../../domain/modulemd';
import { listModulemdFixtures, runModulemdValidator } from './fixture-files';

describe('modulemd verdicts agree with libmodulemd’s modulemd-validator', () => {
  const fixtures = listModulemdFixtures();

  it('finds fixtures in every folder', () => {
    const folders = new Set(fixtures.map((fixture) => fixture.name.replace(/\/[^/]+$/, '')));
    assert.deepEqual([...folders].sort(), ['invalid', 'packager-v3/invalid', 'packager-v3/valid', 'valid']);
  });

  for (const fixture of fixtures) {
    it(`gives the validator’s verdict on ${fixture.name}, naming a field when rejecting it`, () => {
      const expected = runModulemdValidator(fixture.file, { packagerV3: fixture.packagerV3 });
      assert.equal(expected.valid, !fixture.name.includes('invalid/'), 'the fixture sits in the folder of its verdict');
      const text = readFileSync(fixture.file, 'utf8');
      const actual = validateDocumentText(text, {
        fileName: fixture.name,
        ...(fixture.packagerV3 && { type: 'modulemd-packager-v3' as const }),
      });
      const described = actual.errors.map((error) => describeModulemdError(error, fixture.name)).join('\n');
      assert.equal(actual.valid, expected.valid, `validator said:\n${expected.output}\nCascade said:\n${described}`);
      if (actual.valid) return;
      for (const error of actual.errors) {
        assert.match(error.path, /^(document|version|data)\b/, `an error without a field: ${described}`);
        assert.ok(error.line !== undefined && error.line > 0, `an error without a line: ${described}`);
      }
    });
  }
});
