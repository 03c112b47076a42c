/** What went wrong with an AWS call, in words a user can act on, and what they can do about it. */
export interface AwsProblem {
  readonly kind: 'no-credentials' | 'expired' | 'access-denied' | 'throttled' | 'not-found' | 'unreachable' | 'invalid' | 'other';
  readonly message: string;
  /** A command the user can copy and run (e.g. `aws sso login --profile dev`). */
  readonly command?: string;
}

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Maps an AWS SDK error (or a credentials-provider error) to an AwsProblem. `action` says what was being done. */
export function describeAwsError(error: unknown, action: string, profile?: string): AwsProblem {
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? '';
  const message = e.message ?? String(error);
  const who = profile ? `profile '${profile}'` : 'the default credentials';
  if (/Token.*(expired|invalid)|sso.*(expired|refresh)|The SSO session.*expired/i.test(message) && /sso/i.test(message)) {
    return { kind: 'expired', message: `The SSO session of ${who} has expired, so ${action} failed. Sign in again, then retry.`, command: `aws sso login${profile ? ` --profile ${profile}` : ''}` };
  }
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken' || /security token included in the request is expired/i.test(message)) {
    return {
      kind: 'expired', message: `The credentials of ${who} have expired, so ${action} failed. Refresh them (for SSO: sign in again), then retry.`,
      command: profile ? `aws sso login --profile ${profile}` : undefined,
    };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials|Unable to locate credentials|Profile .* could not be found/i.test(message)) {
    return { kind: 'no-credentials', message: `No AWS credentials found for ${who}. Add a profile with 'aws configure' (or 'aws configure sso'), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`, command: 'aws configure' };
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnrecognizedClientException' || e.$metadata?.httpStatusCode === 403) {
    const permission = /perform: ([\w:]+)/.exec(message)?.[1];
    return { kind: 'access-denied', message: `Access denied: ${who} may not ${permission ?? action}. ${message.replace(/\s+$/, '')}` };
  }
  if (name === 'TooManyRequestsException' || name === 'ThrottlingException' || e.$metadata?.httpStatusCode === 429) {
    return { kind: 'throttled', message: `AWS throttled ${action} (too many requests) even after retries. Wait a moment and try again.` };
  }
  if (name === 'ResourceNotFoundException' || e.$metadata?.httpStatusCode === 404) {
    return { kind: 'not-found', message: `${message.replace(/[.\s]+$/, '')} (it may have been deleted, or it is in another region or account).` };
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|getaddrinfo|TimeoutError/i.test(`${name} ${message} ${e.code ?? ''}`)) {
    return { kind: 'unreachable', message: `Could not reach AWS to ${action} (${e.code ?? name ?? 'network error'}: ${message}). Check the network, the region, and the endpoint setting.` };
  }
  const retired = /The runtime parameter of (\S+) is no longer supported/.exec(message)?.[1];
  if (retired) {
    const newest = retired.startsWith('python') ? 'python3.13' : retired.startsWith('nodejs') ? 'nodejs24.x' : undefined;
    return { kind: 'invalid', message: `${action} failed: Lambda no longer accepts ${retired} for creating or updating functions. Change the function's Runtime (in its template)${newest ? ` to a supported one such as ${newest}` : ''}, then deploy again.` };
  }
  if (name.endsWith('ValidationException') || name === 'InvalidParameterValueException' || name === 'ResourceConflictException') {
    return { kind: 'invalid', message: `${action} failed: ${message}` };
  }
  return { kind: 'other', message: `${action} failed: ${name ? `${name}: ` : ''}${message}` };
}

export class AwsProblemError extends Error {
  constructor(readonly problem: AwsProblem, override readonly cause?: unknown) {
    super(problem.message);
    this.name = 'AwsProblemError';
  }
}

/** Runs an AWS call and turns its failure into an AwsProblemError (cancellation passes through untouched). */
export async function withAwsProblem<T>(action: string, profile: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if ((error as Error)?.name === 'AbortError') throw error;
    throw new AwsProblemError(describeAwsError(error, action, profile), error);
  }
}
