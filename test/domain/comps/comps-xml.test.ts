import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { COMPS_DOCTYPE, CompsDocument, XmlDocumentError, generateCompsXml, parseCompsXml } from '../../../domain/comps';
import { libcompsDumpOfFile, libcompsDumpOfText } from '../../support/libcomps-dump';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'comps');
const fedora21 = path.join(FIXTURES, 'fedora21-comps.xml');
const sample = path.join(FIXTURES, 'sample-comps.xml');

function parseError(xml: string): XmlDocumentError {
  try {
    parseCompsXml(xml);
  } catch (err) {
    if (err instanceof XmlDocumentError) return err;
    throw err;
  }
  assert.fail('the document was accepted');
}

describe('comps.xml read and written again', () => {
  it("keeps everything libcomps reads from Fedora 21's comps", () => {
    const doc = parseCompsXml(fs.readFileSync(fedora21, 'utf8'));
    assert.equal(doc.groups.length, 161);
    assert.equal(doc.categories.length, 12);
    assert.equal(doc.environments.length, 12);
    const xml = generateCompsXml(doc);
    assert.equal(xml.split('\n')[1], COMPS_DOCTYPE);
    const original = libcompsDumpOfFile(fedora21);
    const again = libcompsDumpOfText(xml);
    assert.equal(again.groups.length, 161);
    assert.equal(again.categories.length, 12);
    assert.equal(again.environments.length, 12);
    assert.deepEqual(again, original);
    // Conditional requirements and translations are in the dump compared above; make sure there are some.
    const conditional = original.groups.flatMap((g) => g.packages).filter((p) => p.type === 'conditional');
    assert.ok(conditional.length > 50 && conditional.every((p) => p.requires));
    // The blacklist and whiteout (which the libcomps bindings cannot read back) survive too.
    const reread = parseCompsXml(xml);
    assert.deepEqual(reread, doc);
    assert.equal(reread.blacklist.length, 47);
    assert.equal(reread.whiteout.length, 51);
  });

  it("keeps libcomps' sample comps as it was, ids with spaces included", () => {
    const xml = generateCompsXml(parseCompsXml(fs.readFileSync(sample, 'utf8')));
    assert.deepEqual(libcompsDumpOfText(xml), libcompsDumpOfFile(sample));
  });

  it('writes what a JSON document says, in the order libcomps expects', () => {
    const doc = CompsDocument.parse({
      groups: [
        {
          id: 'core',
          name: 'Core',
          nameByLang: { de: 'Kern' },
          description: 'Smallest & possible <installation>',
          packages: [
            { name: 'bash', type: 'mandatory' },
            { name: 'glibc-langpack-de', type: 'conditional', requires: 'glibc' },
          ],
        },
      ],
      environments: [
        { id: 'minimal', name: 'Minimal', groups: [{ id: 'core' }], options: [{ id: 'core', default: true }] },
      ],
      langpacks: [{ name: 'hunspell', install: 'hunspell-%s' }],
    });
    const xml = generateCompsXml(doc);
    assert.match(xml, /Smallest &amp; possible &lt;installation>|Smallest &amp; possible &lt;installation&gt;/);
    const order = [...xml.matchAll(/<(id|name|description|default|uservisible|packagelist)[ >]/g)].map((m) => m[1]);
    assert.deepEqual(order.slice(0, 7), ['id', 'name', 'name', 'description', 'default', 'uservisible', 'packagelist']);
    const dump = libcompsDumpOfText(xml);
    assert.deepEqual(
      dump.groups[0]!.packages.map((p) => [p.name, p.type, p.requires]),
      [
        ['bash', 'mandatory', null],
        ['glibc-langpack-de', 'conditional', 'glibc'],
      ],
    );
    assert.deepEqual(dump.environments[0]!.option_ids, [{ name: 'core', default: true }]);
    assert.deepEqual(dump.langpacks, { hunspell: 'hunspell-%s' });
    assert.deepEqual(parseCompsXml(xml), doc);
  });
});

describe('comps.xml errors name the element and its line', () => {
  it('a syntax error', () => {
    const err = parseError('<comps>\n  <group>\n    <id>core</idd>\n  </group>\n</comps>');
    assert.equal(err.line, 3);
    assert.match(err.message, /line 3/);
  });

  it('an unknown element', () => {
    const err = parseError(
      '<comps>\n  <group>\n    <id>core</id>\n    <name>Core</name>\n    <colour>red</colour>\n  </group>\n</comps>',
    );
    assert.equal(err.element, 'comps/group[1]/colour[1]');
    assert.equal(err.line, 5);
  });

  it('a bad package type, with the group and the field', () => {
    const err = parseError(
      '<comps>\n<group><id>a</id><name>A</name></group>\n<group>\n<id>core</id><name>Core</name>\n<packagelist><packagereq type="sometimes">bash</packagereq></packagelist>\n</group>\n</comps>',
    );
    assert.equal(err.element, 'comps/group[2]');
    assert.equal(err.line, 3);
    assert.match(err.message, /'core' packages\.0\.type/);
  });

  it('a conditional package without requires, and a duplicate group', () => {
    const conditional = parseError(
      '<comps><group><id>core</id><name>Core</name><packagelist><packagereq type="conditional">x</packagereq></packagelist></group></comps>',
    );
    assert.match(conditional.message, /packages\.0\.requires/);
    const twice = parseError(
      '<comps>\n<group><id>core</id><name>Core</name></group>\n<group><id>core</id><name>Core</name></group>\n</comps>',
    );
    assert.equal(twice.element, 'comps/group[2]');
    assert.equal(twice.line, 3);
    assert.match(twice.message, /appears twice/);
  });

  it('the wrong root', () => {
    assert.match(parseError('<variants/>').message, /root element must be <comps>/);
  });
});
