/**
 * A version 4 UUID for a send's idempotency key. The platform only compares keys within an hour,
 * so it needs to be unique, not secret: V8's Math.random (seeded from the system's random source
 * for each process) gives the 122 random bits, and a scripted send does not load node:crypto.
 */
export function newUuid(): string {
  const hex = (n: number) => Math.floor(Math.random() * 16 ** n).toString(16).padStart(n, '0');
  const variant = (8 + Math.floor(Math.random() * 4)).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(6)}${hex(6)}`;
}
