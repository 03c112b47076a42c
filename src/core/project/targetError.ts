/** A target that cannot be resolved: the message says what exists and what to type instead. Its own module so that
 *  the readers of each kind of definition (templates, serverless.yml) can throw it without importing the resolver. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}
