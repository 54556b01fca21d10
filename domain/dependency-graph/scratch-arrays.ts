// Typed arrays reused by the closure and tier computations, which run synchronously and never
// inside one another: a cold answer on a hub allocated ~3 MB of short-lived ArrayBuffers, and that
// much external memory set off garbage collections in the answers around it. Only what a
// computation keeps (its results) is allocated anew.
const slots: Int32Array[] = [];

/** Scratch array number `slot`, `length` long; its contents are whatever the last user left. */
export function scratchInt32(slot: number, length: number): Int32Array {
  let buffer = slots[slot];
  if (!buffer || buffer.length < length) {
    buffer = new Int32Array(Math.max(length, Math.ceil((buffer?.length ?? 0) * 1.5)));
    slots[slot] = buffer;
  }
  return buffer.subarray(0, length);
}
