import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueToken } from '../../api/identity/tokens';
import { parseCompsXml, parseVariantsXml } from '../../domain/comps';
import { VARIANTS_XML } from '../fixtures/comps-variants';
import { DATABASE_KINDS } from '../support/databases';
import { libcompsDumpOfFile, libcompsDumpOfText } from '../support/libcomps-dump';
import { startTestStack, type TestStack } from '../support/stack';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'comps');
const fedora21 = path.join(FIXTURES, 'fedora21-comps.xml');
const sample = path.join(FIXTURES, 'sample-comps.xml');

for (const kind of DATABASE_KINDS) {
  describe(`Comps-as-a-Service through the API (${kind})`, () => {
    let stack: TestStack;
    let rene: string;
    let reader: string;
    before(async () => {
      stack = await startTestStack(kind, { worker: false });
      rene = (await issueToken(stack.db.prisma, { userName: 'rene', role: 'RELEASE_ENGINEER' })).token;
      reader = (await issueToken(stack.db.prisma, { userName: 'rita', role: 'READER' })).token;
    });
    after(async () => {
      await stack?.stop();
    });

    async function xml(method: string, url: string, options: { token?: string; body?: string; type?: string } = {}) {
      const headers: Record<string, string> = { 'content-type': options.type ?? 'application/xml' };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const res = await fetch(stack.api.url + url, { method, headers, body: options.body });
      const text = await res.text();
      const isJson = res.headers.get('content-type')?.includes('json');
      return {
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        text,
        body: isJson ? JSON.parse(text) : undefined,
      };
    }

    it('refuses writes without a token (401) and from a reader (403), writing nothing', async () => {
      const body = fs.readFileSync(sample, 'utf8');
      assert.equal((await xml('POST', '/api/v1/releases/f21/comps.xml', { body })).status, 401);
      const refused = await xml('POST', '/api/v1/releases/f21/comps.xml', { body, token: reader });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'forbidden');
      const group = await stack.request('POST', '/api/v1/releases', { token: reader, body: { key: 'f21' } });
      assert.equal(group.status, 403);
      assert.equal(await stack.db.prisma.compsRelease.count(), 0);
      assert.equal(await stack.db.prisma.compsGroup.count(), 0);
      assert.equal(await stack.db.prisma.compsChange.count(), 0);
    });

    it("imports Fedora 21's comps.xml and generates one libcomps reads the same", async () => {
      const imported = await xml('POST', '/api/v1/releases/f21/comps.xml', {
        body: fs.readFileSync(fedora21, 'utf8'),
        token: stack.adminToken,
      });
      assert.equal(imported.status, 200, imported.text);
      assert.deepEqual(imported.body, { groups: 161, categories: 12, environments: 12, langpacks: 26 });
      const generated = await xml('GET', '/api/v1/releases/f21/comps.xml');
      assert.equal(generated.status, 200);
      assert.match(generated.type, /application\/xml/);
      assert.match(
        generated.text,
        /<!DOCTYPE comps PUBLIC "-\/\/Red Hat, Inc\.\/\/DTD Comps info\/\/EN" "comps\.dtd">/,
      );
      const dump = libcompsDumpOfText(generated.text);
      assert.equal(dump.groups.length, 161);
      assert.equal(dump.categories.length, 12);
      assert.equal(dump.environments.length, 12);
      assert.deepEqual(dump, libcompsDumpOfFile(fedora21));
      const release = await stack.request('GET', '/api/v1/releases/f21');
      assert.deepEqual(release.body.counts, {
        groups: 161,
        categories: 12,
        environments: 12,
        langpacks: 26,
        variants: 0,
      });
    });

    it("imports libcomps' sample comps and generates it back the same", async () => {
      const imported = await xml('POST', '/api/v1/releases/sample/comps.xml', {
        body: fs.readFileSync(sample, 'utf8'),
        token: stack.adminToken,
        type: 'text/xml',
      });
      assert.equal(imported.status, 200, imported.text);
      const generated = await xml('GET', '/api/v1/releases/sample/comps.xml');
      assert.deepEqual(libcompsDumpOfText(generated.text), libcompsDumpOfFile(sample));
    });

    it('imports a variants.xml, generates it back, and prunes the comps to a variant', async () => {
      const imported = await xml('POST', '/api/v1/releases/f21/variants.xml', { body: VARIANTS_XML, token: rene });
      assert.equal(imported.status, 200, imported.text);
      const generated = await xml('GET', '/api/v1/releases/f21/variants.xml');
      assert.equal(generated.status, 200);
      assert.deepEqual(parseVariantsXml(generated.text), parseVariantsXml(VARIANTS_XML));
      const server = await stack.request('GET', '/api/v1/releases/f21/variants/Server-optional');
      assert.equal(server.body.parent, 'Server');
      assert.deepEqual(server.body.modules, [{ name: 'perl', stream: '5.26' }]);

      const pruned = await xml('GET', '/api/v1/releases/f21/comps.xml?variant=Workstation');
      assert.equal(pruned.status, 200, pruned.text);
      const dump = libcompsDumpOfText(pruned.text);
      // Fedora 21's comps has no workstation-product group: a group the comps lacks is left out.
      assert.deepEqual(dump.groups.map((g) => g.id).sort(), ['core', 'gnome-desktop']);
      const doc = parseCompsXml(pruned.text);
      assert.ok(doc.categories.length > 0);
      assert.ok(doc.categories.every((c) => c.groups.every((g) => ['core', 'gnome-desktop'].includes(g.id))));
      // Server's glob web-* and its environment: web-server, and only the environment it names.
      const serverXml = await xml('GET', '/api/v1/releases/f21/comps.xml?variant=Server&arch=x86_64');
      const serverComps = parseCompsXml(serverXml.text);
      assert.deepEqual(serverComps.groups.map((g) => g.id).sort(), ['core', 'standard', 'web-server']);
      assert.equal(serverComps.groups.find((g) => g.id === 'core')!.default, true);
      assert.deepEqual(
        serverComps.environments.map((e) => e.id),
        ['web-server-environment'],
      );
      assert.equal((await xml('GET', '/api/v1/releases/f21/comps.xml?variant=Nope')).status, 404);
    });

    it('answers bad documents with 400 naming the element and line, and keeps what was there', async () => {
      const broken = await xml('POST', '/api/v1/releases/f21/comps.xml', {
        token: stack.adminToken,
        body: '<comps>\n  <group>\n    <id>core</id>\n    <name>Core</name>\n    <packagelist><packagereq type="often">bash</packagereq></packagelist>\n  </group>\n</comps>',
      });
      assert.equal(broken.status, 400);
      assert.equal(broken.body.error.code, 'invalid_document');
      assert.equal(broken.body.error.details.line, 2);
      assert.equal(broken.body.error.details.element, 'comps/group[1]');
      assert.match(broken.body.error.message, /packages\.0\.type/);
      const syntax = await xml('POST', '/api/v1/releases/f21/variants.xml', {
        token: stack.adminToken,
        body: '<variants>\n<variant id="S">\n</variants>',
      });
      assert.equal(syntax.status, 400);
      assert.equal(syntax.body.error.details.line, 3);
      const notXml = await xml('POST', '/api/v1/releases/f21/comps.xml', {
        token: stack.adminToken,
        body: '{}',
        type: 'application/json',
      });
      assert.equal(notXml.status, 415);
      assert.equal((await stack.request('GET', '/api/v1/releases/f21')).body.counts.groups, 161);
    });

    it('answers bad JSON with 400 naming the fields', async () => {
      const bad = await stack.request('POST', '/api/v1/releases/f21/groups', {
        token: stack.adminToken,
        body: {
          id: 'x',
          name: '',
          packages: [
            { name: 'bash', type: 'often' },
            { name: 'y', type: 'conditional' },
          ],
        },
      });
      assert.equal(bad.status, 400);
      const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field).sort();
      assert.deepEqual(fields, ['body.name', 'body.packages.0.type', 'body.packages.1.requires']);
      const unparsable = await stack.request('POST', '/api/v1/releases/f21/groups', {
        token: stack.adminToken,
        body: '{"id":',
      });
      assert.equal(unparsable.status, 400);
      assert.equal(unparsable.body.error.code, 'invalid_json');
      const orphan = await stack.request('POST', '/api/v1/releases/f21/variants', {
        token: stack.adminToken,
        body: { id: 'extras', name: 'Extras', type: 'addon', parent: 'Nowhere', arches: ['x86_64'] },
      });
      assert.equal(orphan.status, 422);
      assert.match(orphan.body.error.message, /parent 'Nowhere'/);
    });

    it('creates, changes and deletes a group, and the history says who did what', async () => {
      const group = { id: 'cascade-tools', name: 'Cascade tools', packages: [{ name: 'cascade', type: 'mandatory' }] };
      const created = await stack.request('POST', '/api/v1/releases/f21/groups', { token: rene, body: group });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(
        (await stack.request('POST', '/api/v1/releases/f21/groups', { token: rene, body: group })).status,
        409,
      );
      const changed = {
        ...group,
        nameByLang: { de: 'Cascade-Werkzeuge' },
        packages: [...group.packages, { name: 'git', type: 'optional' }],
      };
      const updated = await stack.request('PUT', '/api/v1/releases/f21/groups/cascade-tools', {
        token: stack.adminToken,
        body: changed,
      });
      assert.equal(updated.status, 200);
      const read = await stack.request('GET', '/api/v1/releases/f21/groups/cascade-tools');
      assert.deepEqual(read.body.nameByLang, { de: 'Cascade-Werkzeuge' });
      assert.deepEqual(read.body.packages, [
        { name: 'cascade', type: 'mandatory' },
        { name: 'git', type: 'optional' },
      ]);
      const inXml = libcompsDumpOfText((await xml('GET', '/api/v1/releases/f21/comps.xml')).text);
      assert.equal(inXml.groups.length, 162);
      assert.equal(inXml.groups.at(-1)!.id, 'cascade-tools');
      const forbidden = await stack.request('DELETE', '/api/v1/releases/f21/groups/cascade-tools', { token: reader });
      assert.equal(forbidden.status, 403);
      assert.equal(
        (await stack.request('DELETE', '/api/v1/releases/f21/groups/cascade-tools', { token: rene })).status,
        204,
      );
      assert.equal((await stack.request('GET', '/api/v1/releases/f21/groups/cascade-tools')).status, 404);

      const history = await stack.request('GET', '/api/v1/releases/f21/comps/history');
      assert.equal(history.status, 200);
      const rows = history.body.items.map(
        (c: { actor: string; action: string; subject: string; key: string | null }) => [
          c.actor,
          c.action,
          c.subject,
          c.key,
        ],
      );
      assert.deepEqual(rows, [
        ['rene', 'delete', 'group', 'cascade-tools'],
        ['admin', 'update', 'group', 'cascade-tools'],
        ['rene', 'create', 'group', 'cascade-tools'],
        ['rene', 'import', 'variants', null],
        ['admin', 'import', 'comps', null],
        ['admin', 'create', 'release', 'f21'],
      ]);
      const [deleted, update] = history.body.items;
      assert.deepEqual(deleted.before.packages.length, 2);
      assert.equal(deleted.after, null);
      assert.deepEqual(update.before.packages, [{ name: 'cascade', type: 'mandatory' }]);
      assert.deepEqual(update.after.nameByLang, { de: 'Cascade-Werkzeuge' });
      assert.deepEqual(history.body.items[4].after.groups, { count: 161 });
      // Failed and forbidden writes left no history.
      assert.equal(await stack.db.prisma.compsChange.count({ where: { release: 'f21' } }), 6);
    });
  });
}
