import type { AwsCredentials } from '../runtime/environmentVariables';

export interface CredentialRequest {
  /** Named profile; else AWS_PROFILE, else `default`. */
  readonly profile?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Credentials of the active profile for a locally run function (as Lambda hands a function its role's), through
 * @aws-sdk/credential-providers: environment variables first, then the shared config and credentials files
 * (static keys, SSO, credential_process, assume-role). No instance metadata lookups: on a laptop they only add
 * seconds of timeouts. Resolves to undefined when there are none; never logs a value.
 */
export async function resolveProfileCredentials(req: CredentialRequest = {}): Promise<AwsCredentials | undefined> {
  const { fromEnv, fromIni } = await import('@aws-sdk/credential-providers');
  const env = req.env ?? process.env;
  const explicitProfile = req.profile ?? env.AWS_PROFILE;
  if (!explicitProfile && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const c = await fromEnv()();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
  }
  try {
    // File locations come from the given environment (AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE respected).
    const c = await fromIni({ profile: explicitProfile, filepath: env.AWS_SHARED_CREDENTIALS_FILE, configFilepath: env.AWS_CONFIG_FILE })();
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
  } catch (error) {
    if (explicitProfile) throw error; // the user named a profile: say why it failed
    return undefined; // no default profile: run without credentials
  }
}
