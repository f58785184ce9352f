import { expect, it } from '@jest/globals';
import { humanDuration } from './human-duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

it.each([
  [-5 * s, '<invalid>'],
  [-1 * s, '0s'],
  [119 * s, '119s'],
  [5 * m, '5m'],
  [5 * m + 30 * s, '5m30s'],
  [45 * m, '45m'],
  [3 * h + 20 * m, '3h20m'],
  [30 * h, '30h'],
  [3 * d + 4 * h, '3d4h'],
  [100 * d, '100d'],
  [3 * 365 * d + 10 * d, '3y10d'],
  [9 * 365 * d, '9y'],
])('%d ms ago reads %s, as in kubectl', (ms, text) => {
  expect(humanDuration(ms)).toBe(text);
});
