import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, ListRolesCommand, type IAMClient, type Role } from '@aws-sdk/client-iam';
import { withAwsProblem } from './awsErrors';

/** The narrow client the role functions need: tests pass a real client pointed at the emulator. */
export type IamSend = Pick<IAMClient, 'send'>;

export interface ExecutionRole {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  readonly description?: string;
  readonly created?: Date;
}

/** The AWS partition of a region, for the ARNs of AWS-managed policies. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The managed policy the console's "basic Lambda permissions" role gets: write its own CloudWatch logs, nothing else. */
export const basicExecutionPolicyArn = (region: string): string => `arn:${partitionOf(region)}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`;

export const LAMBDA_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/**
 * Whether a role's trust policy lets Lambda assume it: an Allow statement whose service principal is
 * lambda.amazonaws.com for sts:AssumeRole. ListRoles returns the document URL-encoded (IAM's API does; the SDK
 * leaves it so); anything unreadable counts as no.
 */
export function lambdaCanAssume(document: string | undefined): boolean {
  if (!document) return false;
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(document.trimStart().startsWith('{') ? document : decodeURIComponent(document)) as { Statement?: unknown };
  } catch {
    return false;
  }
  return asList(policy.Statement).some((s) => {
    const statement = s as { Effect?: string; Principal?: { Service?: unknown } | string; Action?: unknown };
    if (statement.Effect !== 'Allow' || typeof statement.Principal !== 'object') return false;
    const services = asList(statement.Principal?.Service).map(String);
    const actions = asList(statement.Action).map(String);
    return services.includes('lambda.amazonaws.com') && actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*');
  });
}

const toRole = (r: Role): ExecutionRole => ({ name: r.RoleName ?? '?', arn: r.Arn ?? '', path: r.Path ?? '/', description: r.Description, created: r.CreateDate });

/** Every role of the account Lambda can assume, sorted by name (ListRoles pages through all roles: IAM has no filter). */
export function listExecutionRoles(iam: IamSend, options: { signal?: AbortSignal; profile?: string; onPage?: (soFar: ExecutionRole[]) => void } = {}): Promise<ExecutionRole[]> {
  return withAwsProblem('list IAM roles', options.profile, async () => {
    const roles: ExecutionRole[] = [];
    let marker: string | undefined;
    do {
      const out = await iam.send(new ListRolesCommand({ Marker: marker, MaxItems: 1000 }), { abortSignal: options.signal });
      roles.push(...(out.Roles ?? []).filter((r) => lambdaCanAssume(r.AssumeRolePolicyDocument)).map(toRole));
      roles.sort((a, b) => a.name.localeCompare(b.name));
      options.onPage?.(roles);
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return roles;
  });
}

/** A role name IAM accepts (64 characters of [\w+=,.@-]) derived from a function name, as the console names them. */
export function basicRoleName(functionName: string): string {
  return `${functionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 59)}-role`;
}

/**
 * Creates the role the console's "Create a new role with basic Lambda permissions" creates: trusted by Lambda,
 * with AWSLambdaBasicExecutionRole attached. Returns its ARN. IAM takes some seconds before Lambda may assume a new
 * role: `deployFunction` waits for that (its `roleIsNew` option).
 */
export function createBasicExecutionRole(iam: IamSend, roleName: string, region: string, options: { signal?: AbortSignal; profile?: string } = {}): Promise<ExecutionRole> {
  return withAwsProblem(`create the IAM role ${roleName}`, options.profile, async () => {
    const signal = { abortSignal: options.signal };
    let role: Role | undefined;
    try {
      role = (await iam.send(new CreateRoleCommand({
        RoleName: roleName, Path: '/service-role/', AssumeRolePolicyDocument: LAMBDA_TRUST_POLICY,
        Description: 'Lambda execution role with basic permissions (CloudWatch Logs), created by Lambda Workbench',
      }), signal)).Role;
    } catch (error) {
      // Deploying again after deleting the function: the role from last time is reused if Lambda can assume it.
      if ((error as Error)?.name !== 'EntityAlreadyExistsException') throw error;
      role = (await iam.send(new GetRoleCommand({ RoleName: roleName }), signal)).Role;
      if (!lambdaCanAssume(role?.AssumeRolePolicyDocument)) throw new Error(`A role named ${roleName} exists but Lambda may not assume it: pick another role.`);
    }
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: basicExecutionPolicyArn(region) }), signal);
    if (!role?.Arn) throw new Error(`IAM returned no ARN for ${roleName}.`);
    return toRole(role);
  });
}
