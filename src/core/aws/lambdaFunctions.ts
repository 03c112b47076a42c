import {
  CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, InvokeCommand, ListFunctionsCommand, UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, type FunctionConfiguration, type LambdaClient,
  type Runtime, type UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { INVOKE_TIMEOUT_MS, UPLOAD_TIMEOUT_MS } from './awsContext';
import { AwsProblemError, describeAwsError, withAwsProblem } from './awsErrors';

/** The narrow client the functions need: tests pass a real client pointed at the emulator. */
export type LambdaSend = Pick<LambdaClient, 'send'>;

export interface FunctionSummary {
  readonly name: string;
  readonly arn: string;
  readonly runtime?: string;
  readonly handler?: string;
  readonly architecture?: string;
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly lastModified?: string;
  readonly codeSize?: number;
  readonly role?: string;
  readonly description?: string;
  readonly logGroup: string;
  /** Variable names and values; views mask the values until the user reveals one. */
  readonly environment: Readonly<Record<string, string>>;
}

export function summarize(c: FunctionConfiguration): FunctionSummary {
  const name = c.FunctionName ?? '?';
  return {
    name, arn: c.FunctionArn ?? '', runtime: c.Runtime ?? (c.PackageType === 'Image' ? 'container image' : undefined), handler: c.Handler,
    architecture: c.Architectures?.[0], memorySize: c.MemorySize, timeout: c.Timeout, lastModified: c.LastModified, codeSize: c.CodeSize,
    role: c.Role, description: c.Description, logGroup: c.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`, environment: c.Environment?.Variables ?? {},
  };
}


export interface Page<T> { readonly items: T[]; readonly next?: string }

/** One page of ListFunctions (the view shows it as soon as it arrives and offers "Load more" for `next`). */
export function listFunctionsPage(client: LambdaSend, options: { marker?: string; pageSize?: number; signal?: AbortSignal; profile?: string } = {}): Promise<Page<FunctionSummary>> {
  return withAwsProblem('list functions', options.profile, async () => {
    const out = await client.send(new ListFunctionsCommand({ Marker: options.marker, MaxItems: options.pageSize ?? 50 }), { abortSignal: options.signal });
    return { items: (out.Functions ?? []).map(summarize), next: out.NextMarker };
  });
}

export function getFunction(client: LambdaSend, name: string, options: { signal?: AbortSignal; profile?: string } = {}): Promise<{ summary: FunctionSummary; codeLocation?: string }> {
  return withAwsProblem(`read ${name}`, options.profile, async () => {
    const out = await client.send(new GetFunctionCommand({ FunctionName: name }), { abortSignal: options.signal });
    return { summary: summarize(out.Configuration ?? { FunctionName: name }), codeLocation: out.Code?.Location };
  });
}

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export interface RemoteInvokeResult {
  readonly statusCode?: number;
  readonly payload: string;
  readonly functionError?: string;
  /** The last 4 KB of the log, decoded from X-Amz-Log-Result (RequestResponse only). */
  readonly logTail?: string;
  readonly executedVersion?: string;
}

export function invokeFunction(client: LambdaSend, name: string, payload: string, options: { type?: InvocationType; signal?: AbortSignal; profile?: string } = {}): Promise<RemoteInvokeResult> {
  const type = options.type ?? 'RequestResponse';
  return withAwsProblem(`invoke ${name}`, options.profile, async () => {
    const out = await client.send(new InvokeCommand({
      FunctionName: name, InvocationType: type, Payload: type === 'DryRun' ? undefined : Buffer.from(payload), LogType: type === 'RequestResponse' ? 'Tail' : undefined,
    }), { abortSignal: options.signal, requestTimeout: INVOKE_TIMEOUT_MS });
    return {
      statusCode: out.StatusCode,
      payload: out.Payload ? Buffer.from(out.Payload).toString('utf8') : '',
      functionError: out.FunctionError,
      logTail: out.LogResult ? Buffer.from(out.LogResult, 'base64').toString('utf8') : undefined,
      executedVersion: out.ExecutedVersion,
    };
  });
}

export interface DeployRequest {
  readonly name: string;
  readonly zip: Uint8Array;
  /** Needed to create a function; ignored for an update. */
  readonly role?: string;
  readonly runtime: string;
  readonly handler: string;
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly architecture?: 'x86_64' | 'arm64';
  readonly environment?: Record<string, string>;
  /** The runtime was guessed from the local interpreter, not declared: an existing function keeps its own. */
  readonly runtimeInferred?: boolean;
}

/** What a deploy did: the function as it now is, whether it was created, and which settings of an existing one
 *  changed (names only: variable values may be secrets). */
export interface DeployOutcome extends FunctionSummary {
  readonly created: boolean;
  readonly changed: readonly string[];
}

export type DeployStep = 'checking' | 'creating' | 'waiting for the new role' | 'uploading' | 'waiting' | 'configuring' | 'done';

const ROLE_RETRY_MS = 2_000;
const isRoleNotYetAssumable = (error: unknown): boolean =>
  (error as Error)?.name === 'InvalidParameterValueException' && /role defined for the function cannot be assumed/i.test((error as Error).message);

/** Thrown when the function does not exist and no role was given: the caller asks for the execution role ARN. */
export class RoleRequiredError extends Error {
  override readonly name = 'RoleRequiredError';
}

/** Creates the function (with `role`) or updates its code, then waits until Lambda reports the update done. */
export async function deployFunction(client: LambdaSend, req: DeployRequest, options: { signal?: AbortSignal; profile?: string; onStep?: (step: DeployStep) => void; maxWaitSeconds?: number; roleIsNew?: boolean; newRoleWaitMs?: number } = {}): Promise<DeployOutcome> {
  const step = options.onStep ?? (() => undefined);
  step('checking');
  const current = await client.send(new GetFunctionCommand({ FunctionName: req.name }), { abortSignal: options.signal }).then((out) => out.Configuration ?? {}, (error: unknown) => {
    if ((error as Error)?.name === 'ResourceNotFoundException') return undefined;
    throw new AwsProblemError(describeAwsError(error, `read ${req.name}`, options.profile), error);
  });
  const exists = current !== undefined;
  let changed: string[] = [];
  const waiter = { client: client as LambdaClient, maxWaitTime: options.maxWaitSeconds ?? 300, minDelay: 1, maxDelay: 5, abortSignal: options.signal };
  if (!exists) {
    if (!req.role) throw new RoleRequiredError(`${req.name} does not exist yet: creating it needs an execution role ARN (arn:aws:iam::<account>:role/<name>).`);
    step('creating');
    const create = new CreateFunctionCommand({
      FunctionName: req.name, Role: req.role, Runtime: req.runtime as never, Handler: req.handler, Code: { ZipFile: req.zip },
      MemorySize: req.memorySize, Timeout: req.timeout, Architectures: req.architecture ? [req.architecture] : undefined,
      Environment: req.environment && Object.keys(req.environment).length ? { Variables: req.environment } : undefined,
    });
    // A role IAM created seconds ago is not yet assumable by Lambda (IAM is eventually consistent): retry that answer.
    const roleDeadline = Date.now() + (options.roleIsNew ? options.newRoleWaitMs ?? 30_000 : 0);
    await withAwsProblem(`create ${req.name}`, options.profile, async () => {
      for (;;) {
        try {
          return await client.send(create, { abortSignal: options.signal, requestTimeout: UPLOAD_TIMEOUT_MS });
        } catch (error) {
          if (!isRoleNotYetAssumable(error) || Date.now() >= roleDeadline) throw error;
          step('waiting for the new role');
          await sleep(ROLE_RETRY_MS, undefined, { signal: options.signal });
        }
      }
    });
    step('waiting');
    await withAwsProblem(`wait for ${req.name}`, options.profile, () => waitUntilFunctionActiveV2(waiter, { FunctionName: req.name }));
  } else {
    step('uploading');
    const architectures = req.architecture && current.Architectures?.[0] !== req.architecture ? [req.architecture] : undefined;
    await withAwsProblem(`update ${req.name}`, options.profile, () => client.send(new UpdateFunctionCodeCommand({ FunctionName: req.name, ZipFile: req.zip, Architectures: architectures }), { abortSignal: options.signal, requestTimeout: UPLOAD_TIMEOUT_MS }));
    step('waiting');
    await withAwsProblem(`wait for ${req.name}`, options.profile, () => waitUntilFunctionUpdatedV2(waiter, { FunctionName: req.name }));
    // New code under the old Handler or Runtime may not even load: the settings the deploy names follow the code.
    const update = configurationUpdate(current, req);
    changed = [...(architectures ? ['Architectures'] : []), ...update.changed];
    if (update.changed.length) {
      step('configuring');
      await withAwsProblem(`configure ${req.name}`, options.profile, () => client.send(new UpdateFunctionConfigurationCommand({ FunctionName: req.name, ...update.input }), { abortSignal: options.signal }));
      step('waiting');
      await withAwsProblem(`wait for ${req.name}`, options.profile, () => waitUntilFunctionUpdatedV2(waiter, { FunctionName: req.name }));
    }
  }
  step('done');
  return { ...(await getFunction(client, req.name, options)).summary, created: !exists, changed };
}

/** The settings of an existing function that the deploy changes: Handler, a declared Runtime, the memory and
 *  timeout it names, and its variables set over the function's own (a variable set only in the console stays). */
function configurationUpdate(current: FunctionConfiguration, req: DeployRequest): { input: Omit<UpdateFunctionConfigurationCommandInput, 'FunctionName'>; changed: string[] } {
  const wanted = { Handler: req.handler, Runtime: req.runtimeInferred ? undefined : req.runtime as Runtime, MemorySize: req.memorySize, Timeout: req.timeout };
  const input: Omit<UpdateFunctionConfigurationCommandInput, 'FunctionName'> = {};
  const changed: string[] = [];
  for (const key of ['Handler', 'Runtime', 'MemorySize', 'Timeout'] as const) {
    if (wanted[key] === undefined || wanted[key] === current[key]) continue;
    Object.assign(input, { [key]: wanted[key] });
    changed.push(key);
  }
  const own = current.Environment?.Variables ?? {};
  const set = Object.keys(req.environment ?? {}).filter((k) => own[k] !== req.environment![k]);
  if (set.length) {
    input.Environment = { Variables: { ...own, ...req.environment } };
    changed.push(`Environment (${set.join(', ')})`);
  }
  return { input, changed };
}

export function deleteFunction(client: LambdaSend, name: string, options: { signal?: AbortSignal; profile?: string } = {}): Promise<void> {
  return withAwsProblem(`delete ${name}`, options.profile, async () => {
    await client.send(new DeleteFunctionCommand({ FunctionName: name }), { abortSignal: options.signal });
  });
}

/** Downloads a function's deployment package (the presigned Code.Location URL of GetFunction). */
export async function downloadCode(client: LambdaSend, name: string, options: { signal?: AbortSignal; profile?: string } = {}): Promise<Uint8Array> {
  const { codeLocation } = await getFunction(client, name, options);
  if (!codeLocation) throw new Error(`${name} has no downloadable code (a container image function?).`);
  const response = await fetch(codeLocation, { signal: options.signal });
  if (!response.ok) throw new Error(`Downloading the code of ${name} failed: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
