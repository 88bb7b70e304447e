import { HAS_SHARED, IN_CI, SHARED_DATA } from './shared';

/**
 * vitest's global set-up for every project: under CI (`CI=true`) a missing ../shared/data fails the run before any
 * test starts, where a developer's machine without it skips the tests that read it. A CI run that skipped half
 * the suite would otherwise pass while proving little.
 */
export function setup(): void {
  if (IN_CI && !HAS_SHARED) {
    throw new Error(
      `CI=${process.env.CI}: the shared test data is missing (expected ${SHARED_DATA}/README.md); the tests that read it would be skipped, so the run fails instead`,
    );
  }
}
