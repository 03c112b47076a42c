import { callCostUsd, gbSeconds, priceFor, type Architecture } from '../insights/lambdaPrices';
import type { InvocationCost } from './types';

/** Billed duration: rounded up to the next 1 ms. Since 2025-08-01 Lambda also bills the init phase of on-demand
 *  functions, so a cold start's billed duration includes its init duration (as the REPORT line then shows). */
export function billedDurationMs(durationMs: number, initDurationMs?: number): number {
  return Math.max(1, Math.ceil(durationMs + (initDurationMs ?? 0)));
}

/** One call's cost at the list prices of `region` (default us-east-1; see lambdaPrices: estimates, not a bill). */
export function invocationCost(billedMs: number, memorySizeMb: number, architecture: Architecture = 'x86_64', region?: string): InvocationCost {
  const { price } = priceFor(region);
  const totalUsd = callCostUsd(price, billedMs, memorySizeMb, architecture);
  return { billedGbSeconds: gbSeconds(billedMs, memorySizeMb), requestUsd: price.requestUsd, computeUsd: totalUsd - price.requestUsd, totalUsd, perMillionUsd: totalUsd * 1_000_000 };
}
