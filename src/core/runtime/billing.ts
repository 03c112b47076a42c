import type { InvocationCost } from './types';

// Lambda list prices, us-east-1 (see the README: these are estimates, not a bill).
const REQUEST_USD = 0.2 / 1_000_000;
const GB_SECOND_USD = { x86_64: 0.0000166667, arm64: 0.0000133334 } as const;

/** Billed duration: rounded up to the next 1 ms. Since 2025-08-01 Lambda also bills the init phase of on-demand
 *  functions, so a cold start's billed duration includes its init duration (as the REPORT line then shows). */
export function billedDurationMs(durationMs: number, initDurationMs?: number): number {
  return Math.max(1, Math.ceil(durationMs + (initDurationMs ?? 0)));
}

export function invocationCost(billedMs: number, memorySizeMb: number, architecture: 'x86_64' | 'arm64' = 'x86_64'): InvocationCost {
  const billedGbSeconds = (memorySizeMb / 1024) * (billedMs / 1000);
  const computeUsd = billedGbSeconds * GB_SECOND_USD[architecture];
  const totalUsd = REQUEST_USD + computeUsd;
  return { billedGbSeconds, requestUsd: REQUEST_USD, computeUsd, totalUsd, perMillionUsd: totalUsd * 1_000_000 };
}
