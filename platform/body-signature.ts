// The signature of a raw HTTP body: HMAC-SHA256 of its exact bytes with a shared secret, sent as
// `X-Cascade-Signature: sha256=<hex>`. Shared by those who sign (the dist-git hook, the webhook
// notifier, through activities/distgit) and the one who verifies (the API's events route).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'X-Cascade-Signature';

export function signBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Constant-time check of a received X-Cascade-Signature header against the raw body. */
export function verifySignature(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(signBody(secret, rawBody));
  const received = Buffer.from(header.trim());
  return expected.length === received.length && timingSafeEqual(expected, received);
}
