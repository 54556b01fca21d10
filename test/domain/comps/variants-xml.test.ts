import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  VARIANTS_DOCTYPE,
  XmlDocumentError,
  generateVariantsXml,
  parseCompsXml,
  parseVariantsXml,
  pruneCompsToVariant,
  variantUid,
} from '../../../domain/comps';
import { VARIANTS_XML } from '../../fixtures/comps-variants';

function parseError(xml: string): XmlDocumentError {
  try {
    parseVariantsXml(xml);
  } catch (err) {
    if (err instanceof XmlDocumentError) return err;
    throw err;
  }
  assert.fail('the document was accepted');
}

describe('variants.xml', () => {
  it('reads nested variants as a flat list with parents, and writes the same document back', () => {
    const doc = parseVariantsXml(VARIANTS_XML);
    assert.deepEqual(doc.variants.map(variantUid), ['Server', 'Server-optional', 'Workstation']);
    const [server, optional, workstation] = doc.variants;
    assert.deepEqual(server!.arches, ['x86_64', 'aarch64']);
    assert.equal(server!.hasOptional, true);
    assert.deepEqual(server!.modules, [
      { name: 'platform', stream: 'f29' },
      { name: 'httpd', stream: '2.4', profile: 'default' },
      { name: 'nodejs', stream: '10' },
    ]);
    assert.deepEqual(server!.groups[0], { id: 'core', default: true });
    assert.deepEqual(server!.groups[3], { id: 'web-*', glob: true });
    assert.equal(optional!.type, 'optional');
    assert.equal(optional!.parent, 'Server');
    assert.deepEqual(workstation!.buildinstallPackages, ['anaconda']);
    const xml = generateVariantsXml(doc);
    assert.equal(xml.split('\n')[1], VARIANTS_DOCTYPE);
    assert.deepEqual(parseVariantsXml(xml), doc);
    // The nested variant is written inside its parent, as Pungi reads it.
    assert.match(xml, /<variant id="Server"[^]*<variants>\s*<variant id="optional" name="optional" type="optional">/);
  });

  it('names the element and line of what is wrong', () => {
    const missingArch = parseError(
      '<variants>\n  <variant id="Server" name="Server" type="variant">\n  </variant>\n</variants>',
    );
    assert.equal(missingArch.line, 2);
    assert.match(missingArch.message, /'Server' arches: name at least one architecture/);
    const badModule = parseError(
      '<variants>\n<variant id="S" name="S" type="variant"><arches><arch>x86_64</arch></arches>\n<modules>\n<module>httpd</module>\n</modules></variant></variants>',
    );
    assert.equal(badModule.element, 'variants/variant[1]/modules[1]/module[1]');
    assert.equal(badModule.line, 4);
    const addonOnTop = parseError(
      '<variants><variant id="A" name="A" type="addon"><arches><arch>x86_64</arch></arches></variant></variants>',
    );
    assert.match(addonOnTop.message, /type: a addon must be nested/);
    const foreignArch = parseError(
      '<variants><variant id="S" name="S" type="variant"><arches><arch>x86_64</arch></arches><variants>\n<variant id="o" name="o" type="optional"><arches><arch>s390x</arch></arches></variant></variants></variant></variants>',
    );
    assert.equal(foreignArch.line, 2);
    assert.match(foreignArch.message, /s390x/);
  });
});

describe('comps pruned to a variant', () => {
  const comps = parseCompsXml(`<comps>
  <group><id>core</id><name>Core</name><default>false</default><packagelist><packagereq>bash</packagereq><packagereq arch="s390x">s390utils</packagereq></packagelist></group>
  <group><id>web-server</id><name>Web</name><packagelist><packagereq>httpd</packagereq></packagelist></group>
  <group><id>gnome-desktop</id><name>GNOME</name><packagelist><packagereq>gnome-shell</packagereq></packagelist></group>
  <category><id>servers</id><name>Servers</name><grouplist><groupid>web-server</groupid><groupid>gnome-desktop</groupid></grouplist></category>
  <category><id>desktops</id><name>Desktops</name><grouplist><groupid>gnome-desktop</groupid></grouplist></category>
  <environment><id>web-server-environment</id><name>Web Server</name><grouplist><groupid>core</groupid><groupid>web-server</groupid></grouplist><optionlist><groupid>gnome-desktop</groupid></optionlist></environment>
  <environment><id>workstation-environment</id><name>Workstation</name><grouplist><groupid>gnome-desktop</groupid></grouplist></environment>
  <langpacks><match name="hunspell" install="hunspell-%s"/></langpacks>
</comps>`);
  const server = parseVariantsXml(VARIANTS_XML).variants[0]!;

  it("holds the variant's groups (globs expanded, its default applied), and categories and environments cut to them", () => {
    const pruned = pruneCompsToVariant(comps, server, 'x86_64');
    assert.deepEqual(
      pruned.groups.map((g) => g.id),
      ['core', 'web-server'],
    );
    assert.equal(pruned.groups[0]!.default, true);
    assert.deepEqual(
      pruned.groups[0]!.packages.map((p) => p.name),
      ['bash'],
    );
    assert.deepEqual(
      pruned.categories.map((c) => [c.id, c.groups.map((g) => g.id)]),
      [['servers', ['web-server']]],
    );
    assert.deepEqual(
      pruned.environments.map((e) => [e.id, e.displayOrder, e.groups.length, e.options.length]),
      [['web-server-environment', 10, 2, 0]],
    );
    assert.deepEqual(pruned.langpacks, comps.langpacks);
    assert.deepEqual(
      pruneCompsToVariant(comps, server, 's390x').groups[0]!.packages.map((p) => p.name),
      ['bash', 's390utils'],
    );
  });
});
