/**
 * Lambda's on-demand list prices: requests and the first duration tier (the first 6 billion GB-seconds a month on
 * x86_64, 7.5 billion on arm64), per region. Source: https://aws.amazon.com/lambda/pricing/ — the figures published
 * there, unchanged since arm64 pricing began (2021-09). Regions priced otherwise (Cape Town, Hong Kong, Bahrain,
 * Milan, Jakarta…) are not listed yet: they get us-east-1's prices and the result says so. Estimates, not a bill:
 * no free tier, no Savings Plans, no tiers beyond the first.
 */
export const PRICES_SOURCE = 'aws.amazon.com/lambda/pricing, first tier, on-demand; as published since 2021-09';

export interface LambdaPrice {
  readonly requestUsd: number;
  readonly gbSecondUsd: { readonly x86_64: number; readonly arm64: number };
}

export type Architecture = 'x86_64' | 'arm64';

const STANDARD: LambdaPrice = { requestUsd: 0.2 / 1_000_000, gbSecondUsd: { x86_64: 0.0000166667, arm64: 0.0000133334 } };

/** Regions at the standard price. */
const STANDARD_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1',
];

export const DEFAULT_PRICE_REGION = 'us-east-1';

export interface RegionPrice {
  readonly price: LambdaPrice;
  /** The region whose prices these are: the one asked for, or us-east-1 when it is not in the table. */
  readonly region: string;
  readonly exact: boolean;
}

export function priceFor(region: string | undefined): RegionPrice {
  const asked = region ?? DEFAULT_PRICE_REGION;
  if (STANDARD_REGIONS.includes(asked)) return { price: STANDARD, region: asked, exact: true };
  return { price: STANDARD, region: DEFAULT_PRICE_REGION, exact: false };
}

/** What Lambda bills a call's duration in: memory (GB) × billed time (s). */
export function gbSeconds(billedMs: number, memorySizeMb: number): number {
  return (memorySizeMb / 1024) * (billedMs / 1000);
}

/** What one call costs: the request plus its GB-seconds. */
export function callCostUsd(price: LambdaPrice, billedMs: number, memorySizeMb: number, architecture: Architecture): number {
  return price.requestUsd + gbSeconds(billedMs, memorySizeMb) * price.gbSecondUsd[architecture];
}
