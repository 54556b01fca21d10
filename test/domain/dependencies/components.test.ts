import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DependencyIndex } from '../../../domain/dependencies';

describe('DependencyIndex components', () => {
  it('maps a module to its components, sorted and without duplicates', () => {
    const index = new DependencyIndex();
    index.setModuleComponents('perl:5.26', ['perl', 'perl-DBI', 'perl']);
    assert.deepEqual(index.componentsOf('perl:5.26'), ['perl', 'perl-DBI']);
  });

  it('maps a component back to every module stream that holds it', () => {
    const index = new DependencyIndex();
    index.setModuleComponents('perl:5.26', ['perl', 'perl-DBI']);
    index.setModuleComponents('perl:5.24', ['perl']);
    assert.deepEqual(index.modulesOfComponent('perl'), ['perl:5.24', 'perl:5.26']);
    assert.deepEqual(index.modulesOfComponent('perl-DBI'), ['perl:5.26']);
  });

  it('updates the reverse map when a module drops or gains components', () => {
    const index = new DependencyIndex();
    index.setModuleComponents('perl:5.26', ['perl', 'perl-DBI']);
    assert.deepEqual(index.modulesOfComponent('perl-DBI'), ['perl:5.26']);
    index.setModuleComponents('perl:5.26', ['perl', 'perl-YAML']);
    assert.deepEqual(index.modulesOfComponent('perl-DBI'), []);
    assert.deepEqual(index.modulesOfComponent('perl-YAML'), ['perl:5.26']);
  });

  it('forgets the components of a removed module', () => {
    const index = new DependencyIndex();
    index.setModuleComponents('perl:5.26', ['perl']);
    index.removeModule('perl:5.26');
    assert.deepEqual(index.componentsOf('perl:5.26'), []);
    assert.deepEqual(index.modulesOfComponent('perl'), []);
  });

  it('bumps the version only when the components really change', () => {
    const index = new DependencyIndex();
    index.setModuleComponents('perl:5.26', ['perl']);
    const version = index.version;
    index.setModuleComponents('perl:5.26', ['perl']);
    assert.equal(index.version, version);
    index.setModuleComponents('perl:5.26', ['perl', 'perl-DBI']);
    assert.equal(index.version, version + 1);
  });
});
