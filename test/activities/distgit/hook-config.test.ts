import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DistGitInputError,
  parsePostReceiveInput,
  readHookConfig,
  readHookSecret,
  readSpool,
  signBody,
  verifySignature,
  writeHookConfig,
} from '../../../activities/distgit';
import { ZERO_HASH } from '../../../domain/git-refs';
import { makeTempDir } from '../../support/git-person';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);

describe('hook config, signature and spool', () => {
  let tmp: string;
  before(async () => {
    tmp = await makeTempDir('hook-config');
  });
  after(async () => fs.rm(tmp, { recursive: true, force: true }));

  it('signs the exact raw body bytes with HMAC-SHA256 and verifies only that body', () => {
    const body = '{"source":"hook","updates":[]}';
    const expected = `sha256=${createHmac('sha256', 's3cret').update(Buffer.from(body)).digest('hex')}`;
    assert.equal(signBody('s3cret', body), expected);
    assert.equal(signBody('s3cret', Buffer.from(body)), expected);
    assert.ok(verifySignature('s3cret', body, expected));
    assert.ok(!verifySignature('s3cret', `${body} `, expected), 'one more byte is another body');
    assert.ok(!verifySignature('other', body, expected));
    assert.ok(!verifySignature('s3cret', body, undefined));
    assert.ok(!verifySignature('s3cret', body, 'sha256=00'));
  });

  it('writes and reads hook.json, and refuses a non-HTTP url or a relative secret file by field', async () => {
    assert.equal(await readHookConfig(tmp), undefined);
    const config = { url: 'http://127.0.0.1:8080/api/v1/events/dist-git', secretFile: '/etc/cascade/hook-secret' };
    await writeHookConfig(tmp, config);
    assert.deepEqual(await readHookConfig(tmp), config);
    await assert.rejects(
      writeHookConfig(tmp, { ...config, url: 'file:///etc/passwd' }),
      (e: unknown) => e instanceof DistGitInputError && e.field === 'url',
    );
    await assert.rejects(
      writeHookConfig(tmp, { ...config, secretFile: 'secret' }),
      (e: unknown) => e instanceof DistGitInputError && e.field === 'secretFile',
    );
  });

  it('reads the secret without its trailing newline and refuses an empty one', async () => {
    const file = path.join(tmp, 'secret');
    await fs.writeFile(file, 'abc\n');
    assert.equal(await readHookSecret(file), 'abc');
    await fs.writeFile(file, '\n');
    await assert.rejects(readHookSecret(file), /empty/);
  });

  it('readSpool lists finished .json files oldest first and skips half-written temp files', async () => {
    const spool = path.join(tmp, 'spool');
    await fs.mkdir(spool, { recursive: true });
    await fs.writeFile(path.join(spool, '2026-01-02T00:00:00.000Z-bbbb.json'), '{"n":2}');
    await fs.writeFile(path.join(spool, '2026-01-01T00:00:00.000Z-aaaa.json'), '{"n":1}');
    await fs.writeFile(path.join(spool, '.2026-01-03T00:00:00.000Z-cccc.json.1234.tmp'), '{"n":');
    assert.deepEqual(
      (await readSpool(tmp)).map((e) => e.body),
      ['{"n":1}', '{"n":2}'],
    );
  });

  it('keeps only branch updates from post-receive input', () => {
    const stdin = [
      `${ZERO_HASH} ${a} refs/heads/f29`,
      `${a} ${b} refs/tags/v1`,
      `${a} ${b} refs/heads/private/x`,
      'junk',
      '',
    ].join('\n');
    assert.deepEqual(parsePostReceiveInput(stdin, { namespace: 'rpms', name: 'foo' }), [
      { namespace: 'rpms', name: 'foo', branch: 'f29', oldHash: ZERO_HASH, newHash: a },
      { namespace: 'rpms', name: 'foo', branch: 'private/x', oldHash: a, newHash: b },
    ]);
  });
});
