import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Everything an AWS client needs: which profile, which region, and (for LocalStack and tests) which endpoint. */
export interface AwsContext {
  /** Named profile of the shared config/credentials files; undefined: environment variables, else `default`. */
  readonly profile?: string;
  readonly region: string;
  /** Endpoint override for every client (LocalStack, a test emulator). */
  readonly endpoint?: string;
  /** Process environment to read (AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_CONFIG_FILE…); defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Extra SDK options (tests set maxAttempts). */
  readonly maxAttempts?: number;
  /** How long a call may wait for an answer before it fails (default 30 s; an invocation gets 16 minutes). */
  readonly requestTimeoutMs?: number;
  /** A provider shared with other clients and local runs (the editor's session), instead of one per client. */
  readonly credentials?: AwsCredentialIdentityProvider;
}

/** An endpoint that accepts the connection and never answers must not hang a view or a command. */
export const REQUEST_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** A synchronous invocation answers when the function ends: up to Lambda's 15-minute limit, plus a margin. */
export const INVOKE_TIMEOUT_MS = 16 * 60_000;
/** A deployment package of up to 50 MB is uploaded within the request: give a slow link time. */
export const UPLOAD_TIMEOUT_MS = 10 * 60_000;

/**
 * Credentials through the SDK's own providers (credential-provider-env / -ini; the credential-providers barrel
 * pulled Cognito and a browser user-agent parser into the bundle), not hand-written parsing: environment variables when no profile
 * is named, otherwise the profile from the shared files (static keys, SSO token cache, credential_process,
 * role assumption). Instance metadata is not consulted: on a laptop it only adds seconds of timeouts.
 */
export function credentialProvider(ctx: AwsContext): AwsCredentialIdentityProvider {
  const env = ctx.env ?? process.env;
  const profile = ctx.profile ?? env.AWS_PROFILE;
  const ini = fromIni({ profile, filepath: env.AWS_SHARED_CREDENTIALS_FILE, configFilepath: env.AWS_CONFIG_FILE });
  if (profile) return ini;
  const fromEnvironment = fromEnv();
  return async (): Promise<AwsCredentialIdentity> => {
    if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
      return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN };
    }
    return fromEnvironment().catch(() => ini());
  };
}

function clientConfig(ctx: AwsContext) {
  return {
    region: ctx.region,
    credentials: ctx.credentials ?? credentialProvider(ctx),
    ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}),
    ...(ctx.maxAttempts ? { maxAttempts: ctx.maxAttempts } : {}),
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: ctx.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
  };
}

export function createLambdaClient(ctx: AwsContext): LambdaClient {
  return new LambdaClient(clientConfig(ctx));
}

export function createLogsClient(ctx: AwsContext): CloudWatchLogsClient {
  // StartLiveTail's endpoint carries a host prefix (stream-); an overridden endpoint (LocalStack, tests) has none.
  return new CloudWatchLogsClient({ ...clientConfig(ctx), ...(ctx.endpoint ? { disableHostPrefix: true } : {}) });
}

/** IAM is global: the region only picks the partition's endpoint (iam.amazonaws.com for the commercial one). */
export function createIamClient(ctx: AwsContext): IAMClient {
  return new IAMClient(clientConfig(ctx));
}

/** The console URL of a function. */
export function consoleUrl(region: string, functionName: string): string {
  return `https://${region}.console.aws.amazon.com/lambda/home?region=${region}#/functions/${encodeURIComponent(functionName)}`;
}
