// A seeded faker with the English definitions only. `@faker-js/faker/locale/en` loads one locale; the
// package's index loads all 70 (0.3 s of CPU in the CLI and again in the check worker). That entry exports
// only its `faker` instance, so a new one is built from the instance's class and definitions. Loaded on
// first use (src/input/lazy-libraries.ts): the command line of a run draws no content.
import type { Faker } from '@faker-js/faker';
import { englishFaker } from '../input/lazy-libraries.ts';

/** A faker of its own, seeded, so concurrent probes do not share one random stream. */
export function seededFaker(seed: number): Faker {
  const english = englishFaker();
  const FakerClass = english.constructor as new (options: { locale: Faker['rawDefinitions'] }) => Faker;
  const faker = new FakerClass({ locale: english.rawDefinitions });
  faker.seed(seed >>> 0);
  return faker;
}

let shared: Faker | undefined;

/**
 * `use(faker)` with a faker seeded with `seed`, for content drawn at once: one instance reseeded, which draws what a
 * new seededFaker(seed) would (a faker costs a quarter of a millisecond to build, and a run builds hundreds).
 * `use` must not keep the faker past its return: the next call reseeds it.
 */
export function withSeededFaker<T>(seed: number, use: (faker: Faker) => T): T {
  shared ??= seededFaker(0);
  shared.seed(seed >>> 0);
  const result = use(shared);
  if (result instanceof Promise) throw new Error('withSeededFaker: use() must draw its content at once, not asynchronously');
  return result;
}
