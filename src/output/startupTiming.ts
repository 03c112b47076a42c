// Set by the bundle's first and last lines (scripts/build.mjs's banner and footer).
declare const __lwbBundleStarted: number | undefined;
declare const __lwbBundleEnded: number | undefined;
declare const __lwbBundleStartedCpu: CpuUsage | undefined;
declare const __lwbBundleEndedCpu: CpuUsage | undefined;

interface CpuUsage { readonly user: number; readonly system: number }

/** A moment of the extension's start: wall time, and this thread's CPU time where Node offers it (Node ≥ 23.9). */
export interface Mark {
  readonly at: number;
  readonly cpuMs?: number;
}

/** How the extension's start went, for the activation benchmark and tests (not a public API). */
export interface StartupTiming {
  /** The bundle's first and last lines: its own top level ran between them. Undefined outside the bundle (the
   *  transpiled tests). */
  readonly bundleStarted?: Mark;
  readonly bundleEnded?: Mark;
  /** When activate() began and returned. */
  readonly activateStarted: Mark;
  readonly activateEnded: Mark;
  /** The vendor files (dist/vendor/*.js: the AWS SDK, yaml, jose…) loaded by the time activate() returned; each is
   *  meant to load when a feature first needs it, so this should be empty. */
  readonly vendorLoaded: readonly string[];
}

const threadCpu = (): CpuUsage | undefined => (process as { threadCpuUsage?: () => CpuUsage }).threadCpuUsage?.();
const cpuMs = (usage: CpuUsage | undefined): number | undefined => (usage ? (usage.user + usage.system) / 1000 : undefined);

/** Now, as a mark. */
export function mark(): Mark {
  return { at: performance.now(), cpuMs: cpuMs(threadCpu()) };
}

export function startupTiming(activateStarted: Mark): StartupTiming {
  const activateEnded = mark();
  const bundle = (at: number | undefined, cpu: CpuUsage | undefined): Mark | undefined => (at === undefined ? undefined : { at, cpuMs: cpuMs(cpu) });
  return {
    bundleStarted: bundle(typeof __lwbBundleStarted === 'number' ? __lwbBundleStarted : undefined, typeof __lwbBundleStartedCpu === 'object' ? __lwbBundleStartedCpu : undefined),
    bundleEnded: bundle(typeof __lwbBundleEnded === 'number' ? __lwbBundleEnded : undefined, typeof __lwbBundleEndedCpu === 'object' ? __lwbBundleEndedCpu : undefined),
    activateStarted,
    activateEnded,
    vendorLoaded: loadedVendorFiles(),
  };
}

/** The dist/vendor files in Node's module cache, by name (`aws-sdk.js`). */
export function loadedVendorFiles(): string[] {
  return Object.keys(require.cache).map((file) => /[/\\]dist[/\\]vendor[/\\]([^/\\]+\.js)$/.exec(file)?.[1]).filter((name): name is string => name !== undefined).sort();
}
