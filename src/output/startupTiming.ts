// Set by the bundle's first line (scripts/build.mjs's banner): when the extension's own code began to run.
declare const __lwbBundleStarted: number | undefined;

/** How the extension's start went, for the activation benchmark and tests (not a public API). */
export interface StartupTiming {
  /** performance.now() at the bundle's first line; undefined outside the bundle (the transpiled tests). */
  readonly bundleStarted?: number;
  /** performance.now() when activate() began and returned. */
  readonly activateStarted: number;
  readonly activateEnded: number;
}

export function startupTiming(activateStarted: number): StartupTiming {
  return {
    bundleStarted: typeof __lwbBundleStarted === 'number' ? __lwbBundleStarted : undefined,
    activateStarted,
    activateEnded: performance.now(),
  };
}
