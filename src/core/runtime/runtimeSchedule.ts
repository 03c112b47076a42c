import { KNOWN_RUNTIMES, runtimeFamily, type RuntimeId } from './types';

/**
 * When Lambda stops accepting a runtime for new functions ("Block function create" in AWS's runtime table): a
 * CreateFunction with it is refused (InvalidParameterValueException). nodejs20.x's date from the runtime table,
 * nodejs22.x's as the China regions' table gives it; 'past' for runtimes blocked before nodejs20.x was (their
 * dates are not needed). A runtime not listed is taken as accepted. Only used to choose a runtime nobody named: one
 * the user declared is sent as declared, and Lambda's own answer says what to change.
 */
const CREATE_BLOCKED: Readonly<Record<RuntimeId, string>> = {
  'nodejs16.x': 'past',
  'nodejs18.x': 'past',
  'nodejs20.x': '2026-08-31',
  'nodejs22.x': '2027-06-01',
  'python3.8': 'past',
  'python3.9': 'past',
};

/** When Lambda deprecated a runtime (AWS's runtime table): no more security patches, and blocks on creating, then
 *  updating functions follow. Only runtimes whose dates are known and already passed or near. */
const DEPRECATED: Readonly<Record<RuntimeId, string>> = {
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
};

/** Whether a date of the tables ('past', or YYYY-MM-DD in UTC) has come by `today`. */
const reached = (date: string, today: Date): boolean => date === 'past' || today >= new Date(`${date}T00:00:00Z`);

/** " since YYYY-MM-DD" when the runtime's create block has a known date, for a message. */
const blockedSince = (runtime: RuntimeId): string => {
  const blocked = CREATE_BLOCKED[runtime];
  return blocked && blocked !== 'past' ? ` since ${blocked}` : '';
};

/** What a deployed function's runtime means today, for the Functions view: undefined while it is supported. */
export function deprecationNote(runtime: RuntimeId, today: Date = new Date()): string | undefined {
  const since = DEPRECATED[runtime];
  if (!since || !reached(since, today)) return undefined;
  const noNew = acceptsNewFunctions(runtime, today) ? '' : `; Lambda accepts no new functions on it${blockedSince(runtime)}`;
  return `${runtime} is deprecated since ${since} (no security updates)${noNew}. Move the function to a supported runtime.`;
}

export function acceptsNewFunctions(runtime: RuntimeId, today: Date = new Date()): boolean {
  const blocked = CREATE_BLOCKED[runtime];
  return blocked === undefined || !reached(blocked, today);
}

/** The runtime to create a function with when `inferred` came from the local interpreter: itself while Lambda
 *  accepts it, else the nearest newer one of its language it does accept. */
export function deployableRuntime(inferred: RuntimeId, today: Date = new Date()): RuntimeId {
  if (acceptsNewFunctions(inferred, today)) return inferred;
  const family = runtimeFamily(inferred);
  const ordered = KNOWN_RUNTIMES.filter((id) => id.startsWith(family));
  return ordered.slice(ordered.indexOf(inferred) + 1).find((id) => acceptsNewFunctions(id, today)) ?? inferred;
}

/** What to say when a deploy creates with another runtime than the inferred one. */
export function deployRuntimeNotice(inferred: RuntimeId, chosen: RuntimeId): string | undefined {
  if (inferred === chosen) return undefined;
  const since = blockedSince(inferred);
  return `A new function is created as ${chosen}: the local interpreter runs as ${inferred}, which Lambda no longer accepts for new functions${since ? ` (${since.trim()})` : ''}. Name a runtime in a template to choose another.`;
}
