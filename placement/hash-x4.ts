// crush_hash32_3(a, b_k, c) for four b_k at once: what straw2 needs for one bucket, whose
// items share x and r and differ only in id.
//
// One rjenkins hash is a chain of ~135 dependent operations, so a single hash leaves most of
// the CPU idle; four independent chains written side by side let it run them in parallel,
// which nearly quadruples straw2's throughput on a 4-item bucket. V8 will not do this itself
// (it does not inline the one-at-a-time hash at all). Each block of four lines below is one
// line of Jenkins' mix for lanes 0..3; the rounds and their order are those of
// crushHash32_3 in hash.ts, which the tests compare this against lane by lane.

const SEED = 1315423911;
const X0 = 231232;
const Y0 = 1232;

/** out[k] = crushHash32_3(a, b_k, c) as int32 (same bits as the u32), k = 0..3. */
export function crushHash32_3x4(a: number, b0In: number, b1In: number, b2In: number, b3In: number, c: number, out: Int32Array): void {
  a |= 0;
  c |= 0;
  let a0 = a; let b0 = b0In | 0; let c0 = c; let h0 = (SEED ^ a ^ b0 ^ c) | 0; let x0 = X0; let y0 = Y0;
  let a1 = a; let b1 = b1In | 0; let c1 = c; let h1 = (SEED ^ a ^ b1 ^ c) | 0; let x1 = X0; let y1 = Y0;
  let a2 = a; let b2 = b2In | 0; let c2 = c; let h2 = (SEED ^ a ^ b2 ^ c) | 0; let x2 = X0; let y2 = Y0;
  let a3 = a; let b3 = b3In | 0; let c3 = c; let h3 = (SEED ^ a ^ b3 ^ c) | 0; let x3 = X0; let y3 = Y0;

  a0 = (a0 - b0 - h0) ^ (h0 >>> 13); b0 = (b0 - h0 - a0) ^ (a0 << 8); h0 = (h0 - a0 - b0) ^ (b0 >>> 13);
  a1 = (a1 - b1 - h1) ^ (h1 >>> 13); b1 = (b1 - h1 - a1) ^ (a1 << 8); h1 = (h1 - a1 - b1) ^ (b1 >>> 13);
  a2 = (a2 - b2 - h2) ^ (h2 >>> 13); b2 = (b2 - h2 - a2) ^ (a2 << 8); h2 = (h2 - a2 - b2) ^ (b2 >>> 13);
  a3 = (a3 - b3 - h3) ^ (h3 >>> 13); b3 = (b3 - h3 - a3) ^ (a3 << 8); h3 = (h3 - a3 - b3) ^ (b3 >>> 13);

  a0 = (a0 - b0 - h0) ^ (h0 >>> 12); b0 = (b0 - h0 - a0) ^ (a0 << 16); h0 = (h0 - a0 - b0) ^ (b0 >>> 5);
  a1 = (a1 - b1 - h1) ^ (h1 >>> 12); b1 = (b1 - h1 - a1) ^ (a1 << 16); h1 = (h1 - a1 - b1) ^ (b1 >>> 5);
  a2 = (a2 - b2 - h2) ^ (h2 >>> 12); b2 = (b2 - h2 - a2) ^ (a2 << 16); h2 = (h2 - a2 - b2) ^ (b2 >>> 5);
  a3 = (a3 - b3 - h3) ^ (h3 >>> 12); b3 = (b3 - h3 - a3) ^ (a3 << 16); h3 = (h3 - a3 - b3) ^ (b3 >>> 5);

  a0 = (a0 - b0 - h0) ^ (h0 >>> 3); b0 = (b0 - h0 - a0) ^ (a0 << 10); h0 = (h0 - a0 - b0) ^ (b0 >>> 15);
  a1 = (a1 - b1 - h1) ^ (h1 >>> 3); b1 = (b1 - h1 - a1) ^ (a1 << 10); h1 = (h1 - a1 - b1) ^ (b1 >>> 15);
  a2 = (a2 - b2 - h2) ^ (h2 >>> 3); b2 = (b2 - h2 - a2) ^ (a2 << 10); h2 = (h2 - a2 - b2) ^ (b2 >>> 15);
  a3 = (a3 - b3 - h3) ^ (h3 >>> 3); b3 = (b3 - h3 - a3) ^ (a3 << 10); h3 = (h3 - a3 - b3) ^ (b3 >>> 15);

  c0 = (c0 - x0 - h0) ^ (h0 >>> 13); x0 = (x0 - h0 - c0) ^ (c0 << 8); h0 = (h0 - c0 - x0) ^ (x0 >>> 13);
  c1 = (c1 - x1 - h1) ^ (h1 >>> 13); x1 = (x1 - h1 - c1) ^ (c1 << 8); h1 = (h1 - c1 - x1) ^ (x1 >>> 13);
  c2 = (c2 - x2 - h2) ^ (h2 >>> 13); x2 = (x2 - h2 - c2) ^ (c2 << 8); h2 = (h2 - c2 - x2) ^ (x2 >>> 13);
  c3 = (c3 - x3 - h3) ^ (h3 >>> 13); x3 = (x3 - h3 - c3) ^ (c3 << 8); h3 = (h3 - c3 - x3) ^ (x3 >>> 13);

  c0 = (c0 - x0 - h0) ^ (h0 >>> 12); x0 = (x0 - h0 - c0) ^ (c0 << 16); h0 = (h0 - c0 - x0) ^ (x0 >>> 5);
  c1 = (c1 - x1 - h1) ^ (h1 >>> 12); x1 = (x1 - h1 - c1) ^ (c1 << 16); h1 = (h1 - c1 - x1) ^ (x1 >>> 5);
  c2 = (c2 - x2 - h2) ^ (h2 >>> 12); x2 = (x2 - h2 - c2) ^ (c2 << 16); h2 = (h2 - c2 - x2) ^ (x2 >>> 5);
  c3 = (c3 - x3 - h3) ^ (h3 >>> 12); x3 = (x3 - h3 - c3) ^ (c3 << 16); h3 = (h3 - c3 - x3) ^ (x3 >>> 5);

  c0 = (c0 - x0 - h0) ^ (h0 >>> 3); x0 = (x0 - h0 - c0) ^ (c0 << 10); h0 = (h0 - c0 - x0) ^ (x0 >>> 15);
  c1 = (c1 - x1 - h1) ^ (h1 >>> 3); x1 = (x1 - h1 - c1) ^ (c1 << 10); h1 = (h1 - c1 - x1) ^ (x1 >>> 15);
  c2 = (c2 - x2 - h2) ^ (h2 >>> 3); x2 = (x2 - h2 - c2) ^ (c2 << 10); h2 = (h2 - c2 - x2) ^ (x2 >>> 15);
  c3 = (c3 - x3 - h3) ^ (h3 >>> 3); x3 = (x3 - h3 - c3) ^ (c3 << 10); h3 = (h3 - c3 - x3) ^ (x3 >>> 15);

  y0 = (y0 - a0 - h0) ^ (h0 >>> 13); a0 = (a0 - h0 - y0) ^ (y0 << 8); h0 = (h0 - y0 - a0) ^ (a0 >>> 13);
  y1 = (y1 - a1 - h1) ^ (h1 >>> 13); a1 = (a1 - h1 - y1) ^ (y1 << 8); h1 = (h1 - y1 - a1) ^ (a1 >>> 13);
  y2 = (y2 - a2 - h2) ^ (h2 >>> 13); a2 = (a2 - h2 - y2) ^ (y2 << 8); h2 = (h2 - y2 - a2) ^ (a2 >>> 13);
  y3 = (y3 - a3 - h3) ^ (h3 >>> 13); a3 = (a3 - h3 - y3) ^ (y3 << 8); h3 = (h3 - y3 - a3) ^ (a3 >>> 13);

  y0 = (y0 - a0 - h0) ^ (h0 >>> 12); a0 = (a0 - h0 - y0) ^ (y0 << 16); h0 = (h0 - y0 - a0) ^ (a0 >>> 5);
  y1 = (y1 - a1 - h1) ^ (h1 >>> 12); a1 = (a1 - h1 - y1) ^ (y1 << 16); h1 = (h1 - y1 - a1) ^ (a1 >>> 5);
  y2 = (y2 - a2 - h2) ^ (h2 >>> 12); a2 = (a2 - h2 - y2) ^ (y2 << 16); h2 = (h2 - y2 - a2) ^ (a2 >>> 5);
  y3 = (y3 - a3 - h3) ^ (h3 >>> 12); a3 = (a3 - h3 - y3) ^ (y3 << 16); h3 = (h3 - y3 - a3) ^ (a3 >>> 5);

  y0 = (y0 - a0 - h0) ^ (h0 >>> 3); a0 = (a0 - h0 - y0) ^ (y0 << 10); h0 = (h0 - y0 - a0) ^ (a0 >>> 15);
  y1 = (y1 - a1 - h1) ^ (h1 >>> 3); a1 = (a1 - h1 - y1) ^ (y1 << 10); h1 = (h1 - y1 - a1) ^ (a1 >>> 15);
  y2 = (y2 - a2 - h2) ^ (h2 >>> 3); a2 = (a2 - h2 - y2) ^ (y2 << 10); h2 = (h2 - y2 - a2) ^ (a2 >>> 15);
  y3 = (y3 - a3 - h3) ^ (h3 >>> 3); a3 = (a3 - h3 - y3) ^ (y3 << 10); h3 = (h3 - y3 - a3) ^ (a3 >>> 15);

  b0 = (b0 - x0 - h0) ^ (h0 >>> 13); x0 = (x0 - h0 - b0) ^ (b0 << 8); h0 = (h0 - b0 - x0) ^ (x0 >>> 13);
  b1 = (b1 - x1 - h1) ^ (h1 >>> 13); x1 = (x1 - h1 - b1) ^ (b1 << 8); h1 = (h1 - b1 - x1) ^ (x1 >>> 13);
  b2 = (b2 - x2 - h2) ^ (h2 >>> 13); x2 = (x2 - h2 - b2) ^ (b2 << 8); h2 = (h2 - b2 - x2) ^ (x2 >>> 13);
  b3 = (b3 - x3 - h3) ^ (h3 >>> 13); x3 = (x3 - h3 - b3) ^ (b3 << 8); h3 = (h3 - b3 - x3) ^ (x3 >>> 13);

  b0 = (b0 - x0 - h0) ^ (h0 >>> 12); x0 = (x0 - h0 - b0) ^ (b0 << 16); h0 = (h0 - b0 - x0) ^ (x0 >>> 5);
  b1 = (b1 - x1 - h1) ^ (h1 >>> 12); x1 = (x1 - h1 - b1) ^ (b1 << 16); h1 = (h1 - b1 - x1) ^ (x1 >>> 5);
  b2 = (b2 - x2 - h2) ^ (h2 >>> 12); x2 = (x2 - h2 - b2) ^ (b2 << 16); h2 = (h2 - b2 - x2) ^ (x2 >>> 5);
  b3 = (b3 - x3 - h3) ^ (h3 >>> 12); x3 = (x3 - h3 - b3) ^ (b3 << 16); h3 = (h3 - b3 - x3) ^ (x3 >>> 5);

  b0 = (b0 - x0 - h0) ^ (h0 >>> 3); x0 = (x0 - h0 - b0) ^ (b0 << 10); h0 = (h0 - b0 - x0) ^ (x0 >>> 15);
  b1 = (b1 - x1 - h1) ^ (h1 >>> 3); x1 = (x1 - h1 - b1) ^ (b1 << 10); h1 = (h1 - b1 - x1) ^ (x1 >>> 15);
  b2 = (b2 - x2 - h2) ^ (h2 >>> 3); x2 = (x2 - h2 - b2) ^ (b2 << 10); h2 = (h2 - b2 - x2) ^ (x2 >>> 15);
  b3 = (b3 - x3 - h3) ^ (h3 >>> 3); x3 = (x3 - h3 - b3) ^ (b3 << 10); h3 = (h3 - b3 - x3) ^ (x3 >>> 15);

  y0 = (y0 - c0 - h0) ^ (h0 >>> 13); c0 = (c0 - h0 - y0) ^ (y0 << 8); h0 = (h0 - y0 - c0) ^ (c0 >>> 13);
  y1 = (y1 - c1 - h1) ^ (h1 >>> 13); c1 = (c1 - h1 - y1) ^ (y1 << 8); h1 = (h1 - y1 - c1) ^ (c1 >>> 13);
  y2 = (y2 - c2 - h2) ^ (h2 >>> 13); c2 = (c2 - h2 - y2) ^ (y2 << 8); h2 = (h2 - y2 - c2) ^ (c2 >>> 13);
  y3 = (y3 - c3 - h3) ^ (h3 >>> 13); c3 = (c3 - h3 - y3) ^ (y3 << 8); h3 = (h3 - y3 - c3) ^ (c3 >>> 13);

  y0 = (y0 - c0 - h0) ^ (h0 >>> 12); c0 = (c0 - h0 - y0) ^ (y0 << 16); h0 = (h0 - y0 - c0) ^ (c0 >>> 5);
  y1 = (y1 - c1 - h1) ^ (h1 >>> 12); c1 = (c1 - h1 - y1) ^ (y1 << 16); h1 = (h1 - y1 - c1) ^ (c1 >>> 5);
  y2 = (y2 - c2 - h2) ^ (h2 >>> 12); c2 = (c2 - h2 - y2) ^ (y2 << 16); h2 = (h2 - y2 - c2) ^ (c2 >>> 5);
  y3 = (y3 - c3 - h3) ^ (h3 >>> 12); c3 = (c3 - h3 - y3) ^ (y3 << 16); h3 = (h3 - y3 - c3) ^ (c3 >>> 5);

  y0 = (y0 - c0 - h0) ^ (h0 >>> 3); c0 = (c0 - h0 - y0) ^ (y0 << 10); h0 = (h0 - y0 - c0) ^ (c0 >>> 15);
  y1 = (y1 - c1 - h1) ^ (h1 >>> 3); c1 = (c1 - h1 - y1) ^ (y1 << 10); h1 = (h1 - y1 - c1) ^ (c1 >>> 15);
  y2 = (y2 - c2 - h2) ^ (h2 >>> 3); c2 = (c2 - h2 - y2) ^ (y2 << 10); h2 = (h2 - y2 - c2) ^ (c2 >>> 15);
  y3 = (y3 - c3 - h3) ^ (h3 >>> 3); c3 = (c3 - h3 - y3) ^ (y3 << 10); h3 = (h3 - y3 - c3) ^ (c3 >>> 15);

  out[0] = h0;
  out[1] = h1;
  out[2] = h2;
  out[3] = h3;
}
