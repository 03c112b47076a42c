// How a long-running serving command asks V8 to optimise its request path sooner.
//
// `serve`, `start` and `load` answer thousands of calls from one process, and until V8 has optimised the code of
// that path each call costs more: a freshly started server got faster over its first ~1 500 requests, which is
// what `npm run bench:api` measures. Node 18 and 20 (V8 ≤ 11) optimise a function once it has used up an
// "interrupt budget" of executed bytecode; with an eighth of the default, bench:api's 1-client p50 went from 0.78×
// serverless-offline's to 0.49–0.69× and its 8-client requests/s from 1.57× to 1.83–2.23× (Node 20, 2026-12-07,
// one run before, five after). Node 22 and later tier up through Maglev and have no flag of that name; on Node 24
// a fresh `start` warmed as fast with V8's defaults (timed by hand; lower tier-up counts were slower), so they are
// left as they are. One-shot commands (`invoke`) end before the budget matters and keep V8's defaults.

const SERVING_COMMANDS: ReadonlySet<string> = new Set(['serve', 'start', 'load']);

/** The V8 flags a command's process sets for itself, for the V8 version running it (`process.versions.v8`). */
export function servingJitFlags(command: string | undefined, v8Version: string): string[] {
  if (command === undefined || !SERVING_COMMANDS.has(command)) return [];
  const major = Number.parseInt(v8Version, 10);
  // 67 584 is V8 11's default budget; the flag exists under this name in V8 10 and 11 (Node 18, 20).
  return major >= 10 && major <= 11 ? ['--interrupt-budget=8448'] : [];
}
