import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha1Hex, sha256Hex, utf8Bytes } from '../../../domain/module-build';

function nodeDigest(algorithm: 'sha1' | 'sha256', input: string | Uint8Array): string {
  return createHash(algorithm).update(input).digest('hex');
}

// Lengths around the 55/56/64-byte padding boundaries, empty input, non-ASCII and astral characters.
const samples = [
  '',
  'abc',
  '{"platform": "f29"}',
  'a'.repeat(55),
  'a'.repeat(56),
  'a'.repeat(63),
  'a'.repeat(64),
  'a'.repeat(65),
  'x'.repeat(1000),
  'Ünïcödé — 模块 🚀',
];

describe('pure-TypeScript digests agree with node:crypto', () => {
  it('computes SHA-1 of strings as node:crypto does over their UTF-8 bytes', () => {
    for (const sample of samples) assert.equal(sha1Hex(sample), nodeDigest('sha1', sample), JSON.stringify(sample));
  });

  it('computes SHA-256 of strings as node:crypto does over their UTF-8 bytes', () => {
    for (const sample of samples) assert.equal(sha256Hex(sample), nodeDigest('sha256', sample), JSON.stringify(sample));
  });

  it('hashes raw bytes of every value', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, index) => (index * 37) % 256);
    assert.equal(sha1Hex(bytes), nodeDigest('sha1', bytes));
    assert.equal(sha256Hex(bytes), nodeDigest('sha256', bytes));
  });

  it('encodes UTF-8 as Buffer does, a lone surrogate as U+FFFD', () => {
    for (const sample of [...samples, 'lone \ud800 surrogate'])
      assert.deepEqual(Buffer.from(utf8Bytes(sample)), Buffer.from(sample, 'utf8'));
  });
});
