/**
 * An empty record for keys that come from outside (request headers, query strings, token claims): it has no
 * prototype, so `constructor`, `toString` or `__proto__` are keys like any other. On a `{}` they read as Object's
 * own members (a `?constructor=1` became `function Object() { [native code] },1`) or set the prototype (a
 * `__proto__` header vanished). JSON.stringify writes it as it writes `{}`.
 */
export function keyedRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
