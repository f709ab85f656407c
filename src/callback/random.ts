import { randomBytes } from 'node:crypto';

/**
 * Random bytes from a pooled buffer. A replay draws four small values per fixture (event id,
 * card token, nonce, IV), and each randomBytes call is a trip to the system's random source
 * with its own bookkeeping; one 4 KiB draw from the same CSPRNG serves many fixtures. Each
 * caller gets its own copy of its bytes.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES) return randomBytes(size);
  if (used + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  const out = Buffer.from(pool.subarray(used, used + size));
  // Never hand out the same bytes twice.
  pool.fill(0, used, used + size);
  used += size;
  return out;
}
