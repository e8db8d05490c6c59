// The yardstick of bench/startup.ts: a bare one-test `vitest run` (no config), beside `gt-conformance run`.
import { expect, test } from 'vitest';

test('one', () => {
  expect(1 + 1).toBe(2);
});
