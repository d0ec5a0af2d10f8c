/**
 * The hashes kube-proxy puts in chain names. Both backends hash a string with SHA-256 and keep a
 * prefix of an encoding of the digest:
 * - iptables: the first 16 characters of the RFC 4648 base32 (upper case, standard alphabet) encoding,
 *   e.g. `KUBE-SVC-` + hash("ns1/svc1:p80" + "tcp").
 * - nftables: the first 8 of those characters, of SHA-256(`ns/svc/proto/port` [+ `__ip/port`]), put
 *   before the readable name (see nftables.ts).
 *
 * The domain core is framework- and runtime-free (no `node:crypto`), so SHA-256 is written here. The
 * strings hashed are short (a service port name plus an endpoint), and a 10,000-service node hashes
 * about 60,000 of them, so a plain implementation is fast enough; results are memoised per build.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const W = new Uint32Array(64);

const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** The bytes of `s`: ASCII (every name and address hashed here) copied directly, anything else as UTF-8. */
function bytesOf(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return new TextEncoder().encode(s);
    out[i] = c;
  }
  return out;
}

/** SHA-256 (FIPS 180-4) of `input`, a string taken as UTF-8. */
export function sha256(input: string | Uint8Array): Uint8Array {
  const msg = typeof input === 'string' ? bytesOf(input) : input;
  const blocks = Math.ceil((msg.length + 9) / 64);
  const buf = new Uint8Array(blocks * 64);
  buf.set(msg);
  buf[msg.length] = 0x80;
  // The length in bits, big-endian, in the last 8 bytes (the high bytes stay 0 below 512 MiB).
  const bitLen = msg.length * 8;
  for (let i = 0; i < 4; i++) buf[buf.length - 1 - i] = (bitLen >>> (8 * i)) & 0xff;
  buf[buf.length - 5] = Math.floor(bitLen / 0x100000000) & 0xff;

  const h = H0.slice();
  for (let off = 0; off < buf.length; off += 64) {
    for (let t = 0; t < 16; t++) {
      const j = off + t * 4;
      W[t] = (buf[j]! << 24) | (buf[j + 1]! << 16) | (buf[j + 2]! << 8) | buf[j + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const x = W[t - 15]!;
      const y = W[t - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
    }
    let a = h[0]!,
      b = h[1]!,
      c = h[2]!,
      d = h[3]!,
      e = h[4]!,
      f = h[5]!,
      g = h[6]!,
      k = h[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (k + S1 + ch + K[t]! + W[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
    h[5] = (h[5]! + f) | 0;
    h[6] = (h[6]! + g) | 0;
    h[7] = (h[7]! + k) | 0;
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = h[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = (v >>> 16) & 0xff;
    out[i * 4 + 2] = (v >>> 8) & 0xff;
    out[i * 4 + 3] = v & 0xff;
  }
  return out;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 with the standard alphabet, without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = ((acc << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  return out;
}

/** kube-proxy's iptables chain suffix: 16 base32 characters of SHA-256(`text`), i.e. its first 10 bytes. */
export function chainHash(text: string): string {
  const d = sha256(text);
  let out = '';
  // 10 bytes are 80 bits, exactly 16 characters: two runs of 5 bytes -> 8 characters.
  for (let i = 0; i < 10; i += 5) {
    const hi = (d[i]! << 12) | (d[i + 1]! << 4) | (d[i + 2]! >>> 4); // 20 bits
    const lo = ((d[i + 2]! & 0x0f) << 16) | (d[i + 3]! << 8) | d[i + 4]!; // 20 bits
    out +=
      BASE32[(hi >>> 15) & 31]! +
      BASE32[(hi >>> 10) & 31]! +
      BASE32[(hi >>> 5) & 31]! +
      BASE32[hi & 31]! +
      BASE32[(lo >>> 15) & 31]! +
      BASE32[(lo >>> 10) & 31]! +
      BASE32[(lo >>> 5) & 31]! +
      BASE32[lo & 31]!;
  }
  return out;
}
