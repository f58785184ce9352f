// Ceph's rjenkins1 hashes (crush_hash32 … crush_hash32_5), on 32-bit words.
//
// Every three-line group below is one round of Bob Jenkins' 96-bit mix(a, b, c) applied to
// the variables it names, and each round updates all three in place: later rounds read the
// updated values, so the order and the variable roles matter. JS numbers carry the words:
// `^`, `<<` and `|0` wrap to int32, `>>>` is the unsigned shift C applies to u32, and a
// difference of two int32 values is exact before `^` wraps it, so `(a - b - c)` equals C's
// `a -= b; a -= c;` modulo 2^32. Inputs may be int32 or u32 (same bit pattern); outputs are u32.

const SEED = 1315423911;
const X0 = 231232;
const Y0 = 1232;

export function crushHash32(a: number): number {
  let h = (SEED ^ a) | 0;
  let b = a | 0;
  let x = X0;
  let y = Y0;
  a |= 0;
  b = (b - x - h) ^ (h >>> 13); x = (x - h - b) ^ (b << 8); h = (h - b - x) ^ (x >>> 13);
  b = (b - x - h) ^ (h >>> 12); x = (x - h - b) ^ (b << 16); h = (h - b - x) ^ (x >>> 5);
  b = (b - x - h) ^ (h >>> 3); x = (x - h - b) ^ (b << 10); h = (h - b - x) ^ (x >>> 15);
  y = (y - a - h) ^ (h >>> 13); a = (a - h - y) ^ (y << 8); h = (h - y - a) ^ (a >>> 13);
  y = (y - a - h) ^ (h >>> 12); a = (a - h - y) ^ (y << 16); h = (h - y - a) ^ (a >>> 5);
  y = (y - a - h) ^ (h >>> 3); a = (a - h - y) ^ (y << 10); h = (h - y - a) ^ (a >>> 15);
  return h >>> 0;
}

export function crushHash32_2(a: number, b: number): number {
  let h = (SEED ^ a ^ b) | 0;
  let x = X0;
  let y = Y0;
  a |= 0;
  b |= 0;
  a = (a - b - h) ^ (h >>> 13); b = (b - h - a) ^ (a << 8); h = (h - a - b) ^ (b >>> 13);
  a = (a - b - h) ^ (h >>> 12); b = (b - h - a) ^ (a << 16); h = (h - a - b) ^ (b >>> 5);
  a = (a - b - h) ^ (h >>> 3); b = (b - h - a) ^ (a << 10); h = (h - a - b) ^ (b >>> 15);
  x = (x - a - h) ^ (h >>> 13); a = (a - h - x) ^ (x << 8); h = (h - x - a) ^ (a >>> 13);
  x = (x - a - h) ^ (h >>> 12); a = (a - h - x) ^ (x << 16); h = (h - x - a) ^ (a >>> 5);
  x = (x - a - h) ^ (h >>> 3); a = (a - h - x) ^ (x << 10); h = (h - x - a) ^ (a >>> 15);
  b = (b - y - h) ^ (h >>> 13); y = (y - h - b) ^ (b << 8); h = (h - b - y) ^ (y >>> 13);
  b = (b - y - h) ^ (h >>> 12); y = (y - h - b) ^ (b << 16); h = (h - b - y) ^ (y >>> 5);
  b = (b - y - h) ^ (h >>> 3); y = (y - h - b) ^ (b << 10); h = (h - b - y) ^ (y >>> 15);
  return h >>> 0;
}

/** The hash straw2 draws with: (x, item id, r). Hot: keep it small enough for V8 to inline. */
export function crushHash32_3(a: number, b: number, c: number): number {
  let h = (SEED ^ a ^ b ^ c) | 0;
  let x = X0;
  let y = Y0;
  a |= 0;
  b |= 0;
  c |= 0;
  a = (a - b - h) ^ (h >>> 13); b = (b - h - a) ^ (a << 8); h = (h - a - b) ^ (b >>> 13);
  a = (a - b - h) ^ (h >>> 12); b = (b - h - a) ^ (a << 16); h = (h - a - b) ^ (b >>> 5);
  a = (a - b - h) ^ (h >>> 3); b = (b - h - a) ^ (a << 10); h = (h - a - b) ^ (b >>> 15);
  c = (c - x - h) ^ (h >>> 13); x = (x - h - c) ^ (c << 8); h = (h - c - x) ^ (x >>> 13);
  c = (c - x - h) ^ (h >>> 12); x = (x - h - c) ^ (c << 16); h = (h - c - x) ^ (x >>> 5);
  c = (c - x - h) ^ (h >>> 3); x = (x - h - c) ^ (c << 10); h = (h - c - x) ^ (x >>> 15);
  y = (y - a - h) ^ (h >>> 13); a = (a - h - y) ^ (y << 8); h = (h - y - a) ^ (a >>> 13);
  y = (y - a - h) ^ (h >>> 12); a = (a - h - y) ^ (y << 16); h = (h - y - a) ^ (a >>> 5);
  y = (y - a - h) ^ (h >>> 3); a = (a - h - y) ^ (y << 10); h = (h - y - a) ^ (a >>> 15);
  b = (b - x - h) ^ (h >>> 13); x = (x - h - b) ^ (b << 8); h = (h - b - x) ^ (x >>> 13);
  b = (b - x - h) ^ (h >>> 12); x = (x - h - b) ^ (b << 16); h = (h - b - x) ^ (x >>> 5);
  b = (b - x - h) ^ (h >>> 3); x = (x - h - b) ^ (b << 10); h = (h - b - x) ^ (x >>> 15);
  y = (y - c - h) ^ (h >>> 13); c = (c - h - y) ^ (y << 8); h = (h - y - c) ^ (c >>> 13);
  y = (y - c - h) ^ (h >>> 12); c = (c - h - y) ^ (y << 16); h = (h - y - c) ^ (c >>> 5);
  y = (y - c - h) ^ (h >>> 3); c = (c - h - y) ^ (y << 10); h = (h - y - c) ^ (c >>> 15);
  return h >>> 0;
}

export function crushHash32_4(a: number, b: number, c: number, d: number): number {
  let h = (SEED ^ a ^ b ^ c ^ d) | 0;
  let x = X0;
  let y = Y0;
  a |= 0;
  b |= 0;
  c |= 0;
  d |= 0;
  a = (a - b - h) ^ (h >>> 13); b = (b - h - a) ^ (a << 8); h = (h - a - b) ^ (b >>> 13);
  a = (a - b - h) ^ (h >>> 12); b = (b - h - a) ^ (a << 16); h = (h - a - b) ^ (b >>> 5);
  a = (a - b - h) ^ (h >>> 3); b = (b - h - a) ^ (a << 10); h = (h - a - b) ^ (b >>> 15);
  c = (c - d - h) ^ (h >>> 13); d = (d - h - c) ^ (c << 8); h = (h - c - d) ^ (d >>> 13);
  c = (c - d - h) ^ (h >>> 12); d = (d - h - c) ^ (c << 16); h = (h - c - d) ^ (d >>> 5);
  c = (c - d - h) ^ (h >>> 3); d = (d - h - c) ^ (c << 10); h = (h - c - d) ^ (d >>> 15);
  a = (a - x - h) ^ (h >>> 13); x = (x - h - a) ^ (a << 8); h = (h - a - x) ^ (x >>> 13);
  a = (a - x - h) ^ (h >>> 12); x = (x - h - a) ^ (a << 16); h = (h - a - x) ^ (x >>> 5);
  a = (a - x - h) ^ (h >>> 3); x = (x - h - a) ^ (a << 10); h = (h - a - x) ^ (x >>> 15);
  y = (y - b - h) ^ (h >>> 13); b = (b - h - y) ^ (y << 8); h = (h - y - b) ^ (b >>> 13);
  y = (y - b - h) ^ (h >>> 12); b = (b - h - y) ^ (y << 16); h = (h - y - b) ^ (b >>> 5);
  y = (y - b - h) ^ (h >>> 3); b = (b - h - y) ^ (y << 10); h = (h - y - b) ^ (b >>> 15);
  c = (c - x - h) ^ (h >>> 13); x = (x - h - c) ^ (c << 8); h = (h - c - x) ^ (x >>> 13);
  c = (c - x - h) ^ (h >>> 12); x = (x - h - c) ^ (c << 16); h = (h - c - x) ^ (x >>> 5);
  c = (c - x - h) ^ (h >>> 3); x = (x - h - c) ^ (c << 10); h = (h - c - x) ^ (x >>> 15);
  y = (y - d - h) ^ (h >>> 13); d = (d - h - y) ^ (y << 8); h = (h - y - d) ^ (d >>> 13);
  y = (y - d - h) ^ (h >>> 12); d = (d - h - y) ^ (y << 16); h = (h - y - d) ^ (d >>> 5);
  y = (y - d - h) ^ (h >>> 3); d = (d - h - y) ^ (y << 10); h = (h - y - d) ^ (d >>> 15);
  return h >>> 0;
}

export function crushHash32_5(a: number, b: number, c: number, d: number, e: number): number {
  let h = (SEED ^ a ^ b ^ c ^ d ^ e) | 0;
  let x = X0;
  let y = Y0;
  a |= 0;
  b |= 0;
  c |= 0;
  d |= 0;
  e |= 0;
  a = (a - b - h) ^ (h >>> 13); b = (b - h - a) ^ (a << 8); h = (h - a - b) ^ (b >>> 13);
  a = (a - b - h) ^ (h >>> 12); b = (b - h - a) ^ (a << 16); h = (h - a - b) ^ (b >>> 5);
  a = (a - b - h) ^ (h >>> 3); b = (b - h - a) ^ (a << 10); h = (h - a - b) ^ (b >>> 15);
  c = (c - d - h) ^ (h >>> 13); d = (d - h - c) ^ (c << 8); h = (h - c - d) ^ (d >>> 13);
  c = (c - d - h) ^ (h >>> 12); d = (d - h - c) ^ (c << 16); h = (h - c - d) ^ (d >>> 5);
  c = (c - d - h) ^ (h >>> 3); d = (d - h - c) ^ (c << 10); h = (h - c - d) ^ (d >>> 15);
  e = (e - x - h) ^ (h >>> 13); x = (x - h - e) ^ (e << 8); h = (h - e - x) ^ (x >>> 13);
  e = (e - x - h) ^ (h >>> 12); x = (x - h - e) ^ (e << 16); h = (h - e - x) ^ (x >>> 5);
  e = (e - x - h) ^ (h >>> 3); x = (x - h - e) ^ (e << 10); h = (h - e - x) ^ (x >>> 15);
  y = (y - a - h) ^ (h >>> 13); a = (a - h - y) ^ (y << 8); h = (h - y - a) ^ (a >>> 13);
  y = (y - a - h) ^ (h >>> 12); a = (a - h - y) ^ (y << 16); h = (h - y - a) ^ (a >>> 5);
  y = (y - a - h) ^ (h >>> 3); a = (a - h - y) ^ (y << 10); h = (h - y - a) ^ (a >>> 15);
  b = (b - x - h) ^ (h >>> 13); x = (x - h - b) ^ (b << 8); h = (h - b - x) ^ (x >>> 13);
  b = (b - x - h) ^ (h >>> 12); x = (x - h - b) ^ (b << 16); h = (h - b - x) ^ (x >>> 5);
  b = (b - x - h) ^ (h >>> 3); x = (x - h - b) ^ (b << 10); h = (h - b - x) ^ (x >>> 15);
  y = (y - c - h) ^ (h >>> 13); c = (c - h - y) ^ (y << 8); h = (h - y - c) ^ (c >>> 13);
  y = (y - c - h) ^ (h >>> 12); c = (c - h - y) ^ (y << 16); h = (h - y - c) ^ (c >>> 5);
  y = (y - c - h) ^ (h >>> 3); c = (c - h - y) ^ (y << 10); h = (h - y - c) ^ (c >>> 15);
  d = (d - x - h) ^ (h >>> 13); x = (x - h - d) ^ (d << 8); h = (h - d - x) ^ (x >>> 13);
  d = (d - x - h) ^ (h >>> 12); x = (x - h - d) ^ (d << 16); h = (h - d - x) ^ (x >>> 5);
  d = (d - x - h) ^ (h >>> 3); x = (x - h - d) ^ (d << 10); h = (h - d - x) ^ (x >>> 15);
  y = (y - e - h) ^ (h >>> 13); e = (e - h - y) ^ (y << 8); h = (h - y - e) ^ (e >>> 13);
  y = (y - e - h) ^ (h >>> 12); e = (e - h - y) ^ (y << 16); h = (h - y - e) ^ (e >>> 5);
  y = (y - e - h) ^ (h >>> 3); e = (e - h - y) ^ (y << 10); h = (h - y - e) ^ (e >>> 15);
  return h >>> 0;
}
