import { afterAll, beforeAll } from 'vitest';

/**
 * A resource for the enclosing `describe` (a browser, an engine): made in beforeAll, released in afterAll. The
 * handle forwards every property and call to the resource, so a test uses it as the thing itself, and a use
 * outside a test fails with a message rather than reading undefined.
 */
export function useResource<T extends object>(what: string, make: () => Promise<T>, release: (r: T) => unknown): T {
  let real: T | undefined;
  beforeAll(async () => {
    real = await make();
  });
  afterAll(async () => {
    if (real) await release(real);
  });
  return new Proxy({} as T, {
    get(_, prop) {
      if (!real) throw new Error(`the ${what} is used outside a test: it is made in beforeAll`);
      const value = Reflect.get(real, prop, real) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real) : value;
    },
  });
}
