import { loadSharedConfigFiles } from '@smithy/core/config';

export interface ProfileInfo {
  readonly name: string;
  readonly region?: string;
  /** How the profile gets credentials, for the picker's description. */
  readonly kind: 'sso' | 'process' | 'role' | 'keys' | 'config';
}

/** Profiles of the shared config and credentials files (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE respected),
 *  read by the SDK's own loader. Secrets are never returned. */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<ProfileInfo[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ filepath: env.AWS_SHARED_CREDENTIALS_FILE, configFilepath: env.AWS_CONFIG_FILE, ignoreCache: true });
  const names = new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)].filter((n) => !n.startsWith('sso-session') && !n.startsWith('services')));
  return [...names].sort().map((name) => {
    const config = { ...credentialsFile[name], ...configFile[name] } as Record<string, string | undefined>;
    const kind: ProfileInfo['kind'] = config.sso_session || config.sso_start_url ? 'sso'
      : config.credential_process ? 'process'
        : config.role_arn ? 'role'
          : config.aws_access_key_id ? 'keys' : 'config';
    return { name, region: config.region, kind };
  });
}

/** The region a profile names, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1. */
export async function defaultRegion(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!profile && fromEnv) return fromEnv;
  const found = (await listProfiles(env).catch(() => [])).find((p) => p.name === (profile ?? env.AWS_PROFILE ?? 'default'));
  return found?.region ?? fromEnv ?? 'us-east-1';
}
