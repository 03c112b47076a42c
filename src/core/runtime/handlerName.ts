/**
 * A Node.js handler string as AWS's runtime interface client reads it: the module is the part of the last path
 * segment up to its first dot, the rest is a property path (`src/app.nested.handler` → module `src/app`, handler
 * `nested.handler`). Python differs: its module is everything up to the last dot (`pkg.mod.handler`).
 */
export function nodeHandlerParts(handler: string): { modulePath: string; functionPath: string } {
  const slash = handler.lastIndexOf('/');
  const base = handler.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot < 0) return { modulePath: handler, functionPath: '' };
  return { modulePath: handler.slice(0, slash + 1 + dot), functionPath: base.slice(dot + 1) };
}
