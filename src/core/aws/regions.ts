/** Lambda's commercial regions with the names the AWS console shows (the quick pick's descriptions). */
export const AWS_REGIONS: Readonly<Record<string, string>> = {
  'us-east-1': 'N. Virginia', 'us-east-2': 'Ohio', 'us-west-1': 'N. California', 'us-west-2': 'Oregon',
  'af-south-1': 'Cape Town', 'ap-east-1': 'Hong Kong', 'ap-south-1': 'Mumbai', 'ap-south-2': 'Hyderabad',
  'ap-southeast-1': 'Singapore', 'ap-southeast-2': 'Sydney', 'ap-southeast-3': 'Jakarta', 'ap-southeast-4': 'Melbourne',
  'ap-southeast-5': 'Malaysia', 'ap-southeast-7': 'Thailand', 'ap-northeast-1': 'Tokyo', 'ap-northeast-2': 'Seoul',
  'ap-northeast-3': 'Osaka', 'ca-central-1': 'Canada (Central)', 'ca-west-1': 'Calgary', 'eu-central-1': 'Frankfurt',
  'eu-central-2': 'Zurich', 'eu-west-1': 'Ireland', 'eu-west-2': 'London', 'eu-west-3': 'Paris', 'eu-south-1': 'Milan',
  'eu-south-2': 'Spain', 'eu-north-1': 'Stockholm', 'il-central-1': 'Tel Aviv', 'me-south-1': 'Bahrain',
  'me-central-1': 'UAE', 'mx-central-1': 'Mexico (Central)', 'sa-east-1': 'São Paulo',
};

export interface RegionChoice {
  readonly region: string;
  readonly name?: string;
  readonly current: boolean;
  readonly profileDefault: boolean;
}

/** The regions to pick from: the current one first, then the profile's own, then the rest in the console's order;
 *  a current region this list does not know (a new or opt-in one) is kept. */
export function regionChoices(current: string, profileRegion?: string): RegionChoice[] {
  const order = [current, ...(profileRegion ? [profileRegion] : []), ...Object.keys(AWS_REGIONS)];
  return [...new Set(order)].map((region) => ({ region, name: AWS_REGIONS[region], current: region === current, profileDefault: region === profileRegion }));
}
