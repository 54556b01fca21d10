// KojiHubClient against the Koji-compatible hub, served here over http and over https with client
// certificates (as Apache serves kojihub): anonymous reads, multicall with a fault in the middle,
// faults named by method and code, login with a Cascade token as the password, sslLogin by
// certificate, call numbers (RetryError, SequenceError), a hub that forgot the session, connection
// failures retried with the same call; and the real koji CLI logging in and writing the same ways.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { LocalKoji } from '../../../activities/koji';
import { KojiCallError, KojiHubClient, KojiUnreachableError } from '../../../activities/koji/koji-hub-client';
import { KojiModuleTags } from '../../../activities/koji/koji-module-tags';
import { issueToken, ensureInitialReleaseEngineer } from '../../../api/identity/tokens';
import { kojiHubRoutes } from '../../../api/kojihub/kojihub-route';
import { HubState } from '../../../api/kojihub/hub-state';
import { encodeMethodCall, decodeMethodResponse } from '../../../platform/xmlrpc-codec';
import { freshDatabase, type TestDatabase } from '../../support/databases';
import { testEnvironment } from '../../support/environment';
import { makeTestCa, type TestCa } from '../../support/test-certificates';

const KOJI = path.join(__dirname, '..', '..', '..', '.venv', 'bin', 'koji');

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

function runKoji(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) =>
    execFile(KOJI, args, { env: { ...process.env, HOME: testEnvironment.scratch() } }, (err, out, errOut) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out, err: errOut }),
    ),
  );
}

/** One raw XML-RPC call with the given session headers: what a client that resends would send. */
async function rawCall(url: string, method: string, headers: Record<string, string>, args: unknown[] = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml', ...headers },
    body: encodeMethodCall(method, args as never[]),
  });
  return decodeMethodResponse(await res.text());
}

describe('KojiHubClient against the Koji-compatible hub', () => {
  let db: TestDatabase;
  let home: string;
  let ca: TestCa;
  let adminToken: string;
  let readerToken: string;
  let httpUrl: string;
  let httpsUrl: string;
  let state: HubState;
  const servers: (http.Server | https.Server)[] = [];

  before(async () => {
    db = await freshDatabase('pglite');
    home = path.join(testEnvironment.scratch(), `kojihub-client-${crypto.randomBytes(4).toString('hex')}`);
    adminToken = (await ensureInitialReleaseEngineer(db.prisma))!.token;
    readerToken = (await issueToken(db.prisma, { userName: 'rita', role: 'READER', description: 'test' })).token;
    const kojiRoot = path.join(home, 'koji');
    state = new HubState(kojiRoot);
    const app = express();
    app.use(kojiHubRoutes({ prisma: db.prisma, builder: new LocalKoji({ root: kojiRoot }), builds: { kojiRoot } }));
    const plain = http.createServer(app);
    httpUrl = `http://127.0.0.1:${await listen(plain)}/kojihub`;
    ca = makeTestCa(path.join(home, 'ca'));
    const secure = https.createServer(
      {
        cert: fs.readFileSync(ca.serverCert),
        key: fs.readFileSync(ca.serverKey),
        ca: fs.readFileSync(ca.caFile),
        // As Apache's SSLVerifyClient optional: the hub decides, from whether the certificate was verified.
        requestCert: true,
        rejectUnauthorized: false,
      },
      app,
    );
    httpsUrl = `https://127.0.0.1:${await listen(secure)}/kojihub`;
    servers.push(plain, secure);
  });
  after(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await db?.close();
    await db?.drop();
  });

  it('reads anonymously, and a multicall answers each call or its fault in order', async () => {
    const client = new KojiHubClient({ hubUrl: httpUrl });
    assert.equal(await client.call('getAPIVersion'), 1);
    const outcomes = await client.multicall([
      { method: 'getKojiVersion' },
      { method: 'getTag', args: ['no-such-tag'], kwargs: { strict: true } },
      { method: 'getLoggedInUser' },
    ]);
    assert.deepEqual(outcomes[0], { value: '1.36.1' });
    const fault = 'fault' in outcomes[1]! ? outcomes[1].fault : undefined;
    assert.ok(fault instanceof KojiCallError);
    assert.equal(fault.method, 'getTag');
    assert.equal(fault.faultCode, 1000);
    assert.match(fault.faultString, /No such tagInfo: "no-such-tag"/);
    assert.deepEqual(outcomes[2], { value: null });
  });

  it('turns a fault into an error naming the method and the fault', async () => {
    const client = new KojiHubClient({ hubUrl: httpUrl });
    await assert.rejects(client.call('noSuchMethod'), (err: KojiCallError) => {
      assert.equal(err.message, 'Koji hub: noSuchMethod failed with fault 1000: Invalid method: noSuchMethod');
      return true;
    });
    await assert.rejects(
      client.call('getTag', [], { bogus: 1 }),
      /getTag failed with fault 1019: getTag\(\) got an unexpected keyword argument 'bogus'/,
    );
    // A write without a session is refused before anything changes.
    await assert.rejects(
      client.call('createTag', ['anon-tag']),
      /createTag failed with fault 1002: createTag: not logged in/,
    );
    assert.equal(await client.call('getTag', ['anon-tag']), null);
  });

  it('logs in with a Cascade token as the password, and writes in the session', async () => {
    const client = new KojiHubClient({
      hubUrl: httpUrl,
      auth: { kind: 'password', user: 'admin', password: adminToken },
    });
    assert.deepEqual((await client.loggedInUser()).name, 'admin');
    const id = await client.callLoggedIn('createTag', ['client-tag'], {
      arches: 'x86_64',
      extra: { 'rpm.macro.dist': '.x' },
    });
    const tag = (await client.call('getTag', ['client-tag'])) as Record<string, unknown>;
    assert.equal(tag.id, id);
    assert.equal(tag.arches, 'x86_64');
    assert.deepEqual(tag.extra, { 'rpm.macro.dist': '.x' });
    await assert.rejects(
      client.callLoggedIn('createTag', ['client-tag']),
      /createTag failed with fault 1000: A tag with the name 'client-tag' already exists/,
    );
    const logged = state.calls().filter((c) => c.method === 'createTag' && c.user === 'admin');
    assert.equal(logged.length, 2);
    assert.ok(logged[1]!.fault);

    const wrong = new KojiHubClient({
      hubUrl: httpUrl,
      auth: { kind: 'password', user: 'admin', password: readerToken },
    });
    await assert.rejects(wrong.loggedInUser(), /login failed with fault 1002: invalid username or password/);
    const reader = new KojiHubClient({
      hubUrl: httpUrl,
      auth: { kind: 'password', user: 'rita', password: readerToken },
    });
    await assert.rejects(
      reader.callLoggedIn('createTag', ['rita-tag']),
      /createTag failed with fault 1004: createTag: rita is a reader/,
    );
  });

  it('checks call numbers as kojihub does: a repeated write is RetryError, an older number SequenceError', async () => {
    const login = (await rawCall(httpUrl, 'login', {}, ['admin', adminToken])) as Record<string, string | number>;
    const session = (callnum: number) => ({
      'Koji-Session-Id': String(login['session-id']),
      'Koji-Session-Key': String(login['session-key']),
      'Koji-Session-Callnum': String(callnum),
    });
    await rawCall(httpUrl, 'createTag', session(5), ['callnum-tag']);
    // The same number again: the first attempt succeeded, so the hub will not do it twice.
    await assert.rejects(
      rawCall(httpUrl, 'createTag', session(5), ['callnum-tag-2']),
      /unable to retry call 5 \(method createTag\)/,
    );
    // A read may be repeated; an older number may not.
    assert.equal(((await rawCall(httpUrl, 'getLoggedInUser', session(5))) as Record<string, unknown>).name, 'admin');
    await assert.rejects(rawCall(httpUrl, 'getLoggedInUser', session(4)), /5 > 4/);
    assert.equal(await rawCall(httpUrl, 'getTag', {}, ['callnum-tag-2']), null);
    await assert.rejects(
      rawCall(httpUrl, 'getLoggedInUser', {
        'Koji-Session-Id': String(login['session-id']),
        'Koji-Session-Key': 'wrong',
      }),
      /Invalid session or bad credentials/,
    );
  });

  it('logs in again when the hub has forgotten the session (a restarted hub)', async () => {
    const client = new KojiHubClient({
      hubUrl: httpUrl,
      auth: { kind: 'password', user: 'admin', password: adminToken },
    });
    await client.loggedInUser();
    // Drop every session the hub holds, as a restart does, by logging this one out behind the client's back.
    const sessionId = (client as unknown as { session: { id: number } }).session.id;
    await rawCall(httpUrl, 'logout', {}, [sessionId]);
    await client.callLoggedIn('createTag', ['after-restart-tag']);
    assert.ok(await client.call('getTag', ['after-restart-tag']));
  });

  it('retries a call when the connection fails, then reports the hub unreachable', async () => {
    // A proxy that drops the first two connections, then forwards to the hub.
    let dropped = 0;
    const target = new URL(httpUrl);
    const proxy = net.createServer((socket) => {
      if (dropped < 2) {
        dropped += 1;
        return socket.destroy();
      }
      const upstream = net.connect(Number(target.port), target.hostname);
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as net.AddressInfo).port;
    const flaky = new KojiHubClient({
      hubUrl: `http://127.0.0.1:${port}/kojihub`,
      auth: { kind: 'password', user: 'admin', password: adminToken },
      retries: 3,
      retryDelayMs: 20,
    });
    assert.equal(await flaky.call('getAPIVersion'), 1);
    assert.equal(dropped, 2);
    proxy.close();

    const closed = await new Promise<number>((r) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const gone = new KojiHubClient({ hubUrl: `http://127.0.0.1:${closed}/kojihub`, retries: 2, retryDelayMs: 20 });
    await assert.rejects(gone.call('getAPIVersion'), (err: KojiUnreachableError) => {
      assert.ok(err instanceof KojiUnreachableError);
      assert.match(
        err.message,
        new RegExp(`Koji hub at http://127.0.0.1:${closed}/kojihub unreachable for getAPIVersion: .*ECONNREFUSED`),
      );
      return true;
    });
  });

  it('sslLogin: a client certificate the hub trusts is its user, an untrusted one is refused', async () => {
    const admin = ca.client('admin');
    const client = new KojiHubClient({
      hubUrl: httpsUrl,
      auth: { kind: 'ssl', certFile: admin.cert, keyFile: admin.key },
      serverCaFile: ca.caFile,
    });
    const me = (await client.callLoggedIn('getLoggedInUser')) as Record<string, unknown>;
    assert.equal(me.name, 'admin');
    assert.equal(me.authtype, 2);
    await client.callLoggedIn('createTag', ['ssl-tag']);
    assert.ok(await client.call('getTag', ['ssl-tag']));

    const stranger = ca.client('admin', 'self');
    const refused = new KojiHubClient({
      hubUrl: httpsUrl,
      auth: { kind: 'ssl', certFile: stranger.cert, keyFile: stranger.key },
      serverCaFile: ca.caFile,
    });
    await assert.rejects(refused.loggedInUser(), /sslLogin failed with fault 1002: could not verify client/);
    const unknown = ca.client('nobody');
    const nobody = new KojiHubClient({
      hubUrl: httpsUrl,
      auth: { kind: 'ssl', certFile: unknown.pem },
      serverCaFile: ca.caFile,
    });
    await assert.rejects(nobody.loggedInUser(), /sslLogin failed with fault 1002: Unknown user: nobody/);
  });

  it("makes a module's tags as MBS does, once: buildroot tag with macros, groups and the buildrequired modules' tags, target", async () => {
    const client = new KojiHubClient({
      hubUrl: httpUrl,
      auth: { kind: 'password', user: 'admin', password: adminToken },
    });
    const tags = new KojiModuleTags(client, {
      arches: 'x86_64',
      buildGroup: ['bash', 'rpm-build'],
      platformTag: 'client-tag',
    });
    const core = { nsvc: 'core:f29:2920260101000000:aaaaaaaa', buildrequires: [], earlierBuilds: [] };
    await tags.prepare(core, { dist: '.module_f29+1+aaaaaaaa' });
    const tools = { nsvc: 'tools:f29:2920260101000100:bbbbbbbb', buildrequires: [core.nsvc], earlierBuilds: [] };
    const made = await tags.prepare(tools, {
      dist: '.module_f29+2+bbbbbbbb',
      modularitylabel: 'tools:f29:2920260101000100:bbbbbbbb',
    });
    assert.deepEqual(made, {
      tag: 'module-tools-f29-2920260101000100-bbbbbbbb',
      buildTag: 'module-tools-f29-2920260101000100-bbbbbbbb-build',
      target: 'module-tools-f29-2920260101000100-bbbbbbbb',
    });
    const buildTag = (await client.call('getTag', [made.buildTag])) as Record<string, unknown>;
    assert.equal(buildTag.arches, 'x86_64');
    assert.deepEqual(buildTag.extra, {
      'rpm.macro.dist': '.module_f29+2+bbbbbbbb',
      'rpm.macro.modularitylabel': 'tools:f29:2920260101000100:bbbbbbbb',
    });
    const parents = (await client.call('getInheritanceData', [made.buildTag])) as Record<string, unknown>[];
    assert.deepEqual(
      parents.map((p) => [p.name, p.priority]),
      [
        ['module-core-f29-2920260101000000-aaaaaaaa', 0],
        ['client-tag', 10],
      ],
    );
    const groups = (await client.call('getTagGroups', [made.buildTag])) as {
      name: string;
      packagelist: { package: string }[];
    }[];
    assert.deepEqual(
      groups.map((g) => [g.name, g.packagelist.map((p) => p.package)]),
      [
        ['build', ['bash', 'rpm-build']],
        ['srpm-build', ['bash', 'rpm-build']],
      ],
    );
    const target = (await client.call('getBuildTarget', [made.target])) as Record<string, unknown>;
    assert.equal(target.build_tag_name, made.buildTag);
    assert.equal(target.dest_tag_name, made.tag);
    await tags.listPackages(made, ['libtools'], 'admin');
    // Again (a retried activity, the batch's next component): nothing is written twice.
    const writes = state.calls().length;
    await tags.prepare(tools, { dist: '.module_f29+2+bbbbbbbb' });
    await tags.listPackages(made, ['libtools'], 'admin');
    assert.equal(state.calls().length, writes);
  });

  it('the koji CLI logs in by password (a Cascade token) and by certificate, and writes', async () => {
    const profile = path.join(home, 'koji.conf');
    fs.writeFileSync(profile, '[koji]\n');
    const pw = await runKoji([
      '-c',
      profile,
      '--server',
      httpUrl,
      '--authtype',
      'password',
      '--user',
      'admin',
      '--password',
      adminToken,
      'add-tag',
      'cli-tag',
      '--arches',
      'x86_64',
    ]);
    assert.equal(pw.code, 0, pw.err + pw.out);
    const made = (await new KojiHubClient({ hubUrl: httpUrl }).call('getTag', ['cli-tag'])) as Record<string, unknown>;
    assert.equal(made.arches, 'x86_64');

    const admin = ca.client('admin');
    // koji takes the server's CA from the profile only.
    const sslProfile = path.join(home, 'koji-ssl.conf');
    fs.writeFileSync(sslProfile, `[koji]\nserverca = ${ca.caFile}\n`);
    const ssl = ['-c', sslProfile, '--server', httpsUrl, '--authtype', 'ssl', '--cert', admin.pem];
    const target = await runKoji([...ssl, 'add-target', 'cli-target', 'cli-tag', 'client-tag']);
    assert.equal(target.code, 0, target.err + target.out);
    const info = await runKoji([...ssl, 'call', 'getBuildTarget', 'cli-target']);
    assert.match(info.out, /'build_tag_name': 'cli-tag'/);
    assert.match(info.out, /'dest_tag_name': 'client-tag'/);
    const who = await runKoji([...ssl, 'moshimoshi']);
    assert.match(who.out, /admin/);
    assert.match(who.out, /Authenticated via client certificate/);
  });
});
