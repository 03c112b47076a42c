import type { AwsCredentials } from '../runtime/environmentVariables';

/** Credentials and, for temporary ones (SSO, assume-role, credential_process), when they expire. */
export interface ExpiringCredentials extends AwsCredentials {
  readonly expiration?: Date;
}

export interface CredentialRequest {
  /** Named profile; else AWS_PROFILE, else `default`. */
  readonly profile?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Credentials of the active profile for a locally run function (as Lambda hands a function its role's), through
 * the SDK's env and ini providers: environment variables first, then the shared config and credentials files
 * (static keys, SSO, credential_process, assume-role). No instance metadata lookups: on a laptop they only add
 * seconds of timeouts. Resolves to undefined when there are none; never logs a value.
 */
export async function resolveProfileCredentials(req: CredentialRequest = {}): Promise<ExpiringCredentials | undefined> {
  const [{ fromEnv }, { fromIni }] = await Promise.all([import('@aws-sdk/credential-provider-env'), import('@aws-sdk/credential-provider-ini')]);
  const env = req.env ?? process.env;
  const explicitProfile = req.profile ?? env.AWS_PROFILE;
  if (!explicitProfile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const c = await fromEnv()();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
  }
  try {
    // File locations come from the given environment (AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE respected).
    const c = await fromIni({ profile: explicitProfile, filepath: env.AWS_SHARED_CREDENTIALS_FILE, configFilepath: env.AWS_CONFIG_FILE })();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
  } catch (error) {
    if (explicitProfile) throw error; // the user named a profile: say why it failed
    return undefined; // no default profile: run without credentials
  }
}

/** Temporary credentials are fetched again this long before they expire, as the SDK refreshes its own. */
const REFRESH_BEFORE_MS = 5 * 60_000;
/** Having none (no profile, or `aws sso login` needed) is asked again after this long, not on every call. */
const RETRY_NONE_MS = 60_000;

/**
 * One credential source per profile: `fetch` runs once, then again only when the credentials are within five
 * minutes of expiring (static keys never), so an SSO or assume-role profile costs one round trip, not one per
 * invocation. Concurrent callers share one fetch.
 */
export function memoizeCredentials(fetch: () => Promise<ExpiringCredentials | undefined>, now: () => number = Date.now): () => Promise<ExpiringCredentials | undefined> {
  let current: { value: Promise<ExpiringCredentials | undefined>; validUntil: number } | undefined;
  return () => {
    if (!current || now() >= current.validUntil) {
      const value = fetch();
      const entry = { value, validUntil: Number.POSITIVE_INFINITY };
      current = entry;
      void value.then(
        (c) => { entry.validUntil = !c ? now() + RETRY_NONE_MS : c.expiration ? c.expiration.getTime() - REFRESH_BEFORE_MS : Number.POSITIVE_INFINITY; },
        () => { entry.validUntil = 0; },
      );
    }
    return current.value.then((c) => c && { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration });
  };
}
