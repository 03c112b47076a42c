import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AwsCredentials } from '../runtime/environmentVariables';
import { pathExists } from '../pathExists';

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
  const env = req.env ?? process.env;
  const explicitProfile = req.profile ?? env.AWS_PROFILE;
  // What the SDK's env provider returns of them, read here without loading it.
  if (!explicitProfile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  }
  // File locations come from the given environment (AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE respected).
  const files = { filepath: env.AWS_SHARED_CREDENTIALS_FILE || undefined, configFilepath: env.AWS_CONFIG_FILE || undefined };
  // Neither file there (a machine without the AWS CLI set up): nothing to read, so the reader is not loaded either.
  if (!explicitProfile && !(await sharedFilesExist(env))) return undefined;
  const profile = await readProfile(explicitProfile ?? 'default', files);
  if (!profile && !explicitProfile) return undefined; // no default profile: run without credentials
  if (profile && isStaticKeys(profile)) {
    return { accessKeyId: profile.aws_access_key_id, secretAccessKey: profile.aws_secret_access_key, sessionToken: profile.aws_session_token };
  }
  try {
    // SSO, assume-role, credential_process, web identity: the SDK's provider (it loads the STS and SSO clients).
    const { fromIni } = await import('@aws-sdk/credential-provider-ini');
    const c = await fromIni({ profile: explicitProfile, ...files })();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
  } catch (error) {
    if (explicitProfile) throw error; // the user named a profile: say why it failed
    return undefined;
  }
}

/** Whether the shared credentials or config file exists where the SDK would look (its home directory order). */
async function sharedFilesExist(env: NodeJS.ProcessEnv): Promise<boolean> {
  const home = env.HOME || env.USERPROFILE || (env.HOMEPATH ? `${env.HOMEDRIVE || 'C:\\'}${env.HOMEPATH}` : homedir());
  const paths = [env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'), env.AWS_CONFIG_FILE || join(home, '.aws', 'config')];
  // A path the SDK expands (~/…) is left to it.
  if (paths.some((p) => p.startsWith('~'))) return true;
  const found = await Promise.all(paths.map(pathExists));
  return found.some(Boolean);
}

type ProfileData = Record<string, string | undefined>;

/** One profile as the SDK's ini provider sees it: the config file's section under the credentials file's. */
async function readProfile(name: string, files: { filepath?: string; configFilepath?: string }): Promise<ProfileData | undefined> {
  const { loadSharedConfigFiles } = await import('@smithy/core/config');
  const { configFile, credentialsFile } = await loadSharedConfigFiles(files);
  const config = configFile[name];
  const credentials = credentialsFile[name];
  return config || credentials ? { ...config, ...credentials } : undefined;
}

/**
 * Keys written in the profile, which the SDK's provider would return as they are: checked here so that a local run
 * with plain keys never loads the provider and the STS/SSO clients it brings (~750 KiB). A role_arn wins over keys
 * in the SDK's order (it assumes the role), so such a profile goes to the SDK.
 */
function isStaticKeys(p: ProfileData): p is ProfileData & { aws_access_key_id: string; aws_secret_access_key: string } {
  return typeof p.aws_access_key_id === 'string' && typeof p.aws_secret_access_key === 'string' && p.role_arn === undefined;
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
