import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ModulemdError } from '../../../domain/modulemd';
import { describeModulemdError, parsePackagerV3, validateDocumentText } from '../../../domain/modulemd';
import { MODULEMD_FIXTURES } from './fixture-files';

function errorsOf(relativePath: string, type?: 'modulemd-packager-v3'): ModulemdError[] {
  const text = readFileSync(path.join(MODULEMD_FIXTURES, relativePath), 'utf8');
  return validateDocumentText(text, { ...(type && { type }) }).errors;
}

describe('modulemd errors name the field and its line', () => {
  it('rejects a buildafter naming an unknown component at that list entry', () => {
    const [error, ...rest] = errorsOf('invalid/buildafter-invalid-key-v2.yaml');
    assert.equal(rest.length, 0);
    assert.equal(
      describeModulemdError(error!),
      "data.components.rpms.nodejs.buildafter[3]: buildafter 'nosuchkey' not found in components list (line 59)",
    );
  });

  it('rejects buildorder and buildafter in one component', () => {
    const [error] = errorsOf('invalid/buildafter-same-component-v2.yaml');
    assert.equal(error?.code, 'mixed-build-ordering');
    assert.equal(error?.path, 'data.components.rpms.nodejs.buildafter');
    assert.equal(error?.line, 56);
  });

  it('rejects buildorder in one component and buildafter in another of the same stream', () => {
    const [error] = errorsOf('invalid/mixed-buildorder-buildafter-v2.yaml');
    assert.equal(error?.path, 'data.components.rpms.nodejs.buildafter');
    assert.match(error?.message ?? '', /same stream/);
    assert.equal(error?.line, 58);
  });

  it('rejects a component arch outside the module’s buildopts.arches', () => {
    const [error] = errorsOf('invalid/bad-combo-arches-v2.yaml');
    assert.equal(error?.path, 'data.components.rpms.http-parser.arches[0]');
    assert.match(error?.message ?? '', /i686/);
    assert.equal(error?.line, 51);
  });

  it('rejects a static context with characters outside [a-zA-Z0-9_]', () => {
    const [error] = errorsOf('invalid/bad-stream-context-v2.yaml');
    assert.equal(error?.path, 'data.context');
    assert.equal(error?.line, 13);
  });

  it('rejects a data section that is not a mapping, and a document without a type', () => {
    assert.deepEqual(
      errorsOf('invalid/broken-stream.yaml').map((error) => [error.path, error.line]),
      [['data', 4]],
    );
    assert.deepEqual(
      errorsOf('invalid/mismatched-deps.yaml').map((error) => [error.path, error.code]),
      [['document', 'missing-document-type']],
    );
  });

  it('rejects a packager build configuration whose context is too long', () => {
    const [error] = errorsOf('packager-v3/invalid/bad-packager-v3.yaml', 'modulemd-packager-v3');
    assert.equal(error?.path, 'data.configurations[0].context');
    assert.equal(error?.line, 12);
  });

  it('rejects unknown keys, bad integers and mixed stream exclusions at their lines', () => {
    const text = [
      'document: modulemd',
      'version: 2',
      'data:',
      '  summary: S',
      '  description: D',
      '  license: {module: [MIT]}',
      '  version: 1.5',
      '  dependencies:',
      '  - buildrequires:',
      '      platform: [-f27, f28]',
      '  components:',
      '    rpms:',
      '      foo:',
      '        buildorder: x',
      '        colour: blue',
    ].join('\n');
    const described = validateDocumentText(text).errors.map((error) => describeModulemdError(error));
    assert.deepEqual(described, [
      'data.version: 1.5: the string is not a valid integer (line 7)',
      'data.components.rpms.foo.buildorder: x: the string is not a valid integer (line 14)',
      "data.components.rpms.foo.colour: unexpected key 'colour' (line 15)",
    ]);
    const withoutShapeErrors = text.replace('  version: 1.5', '  version: 15').split('\n').slice(0, 10).join('\n');
    const mixed = validateDocumentText(withoutShapeErrors).errors;
    assert.deepEqual(
      mixed.map((error) => [error.path, error.line]),
      [['data.dependencies[0].buildrequires.platform', 10]],
    );
  });

  it('rejects a packager document read as a module index', () => {
    const text = readFileSync(path.join(MODULEMD_FIXTURES, 'packager-v3/valid/spec-packager-v3.yaml'), 'utf8');
    assert.equal(parsePackagerV3(text).ok, true);
    const [error] = validateDocumentText(text).errors;
    assert.equal(error?.code, 'unsupported-document');
    assert.equal(error?.path, 'document');
  });
});
