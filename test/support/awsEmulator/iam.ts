import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ACCOUNT_ID } from './lambda';
import { Faults, type FaultKind } from './faults';
import type { ServiceHandler } from './server';

export type IamOperation = 'ListRoles' | 'CreateRole' | 'GetRole' | 'AttachRolePolicy';

interface StoredRole {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly trust: string;
  readonly description?: string;
  readonly created: Date;
  readonly policies: string[];
}

export interface IamServiceOptions {
  /** How long a created role stays unassumable by Lambda (IAM's propagation delay; default 0). */
  readonly propagationMs?: number;
}

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * IAM's AWS Query protocol (form-encoded POST, XML answers) for the role calls the deploy flow makes: ListRoles
 * (paged with Marker/IsTruncated, trust policies URL-encoded as IAM returns them), CreateRole, GetRole and
 * AttachRolePolicy, with IAM's error shapes. `assumable(arn)` tells the Lambda emulator whether a role exists and
 * has propagated.
 */
export class IamService implements ServiceHandler {
  readonly roles = new Map<string, StoredRole>();
  readonly faults = new Faults<IamOperation>();
  private readonly propagationMs: number;

  constructor(options: IamServiceOptions = {}) {
    this.propagationMs = options.propagationMs ?? 0;
  }

  addRole(name: string, trust: object | string, options: { path?: string; description?: string; policies?: string[] } = {}): StoredRole {
    const path = options.path ?? '/';
    const role: StoredRole = {
      name, path, arn: `arn:aws:iam::${ACCOUNT_ID}:role${path}${name}`, trust: typeof trust === 'string' ? trust : JSON.stringify(trust),
      description: options.description, created: new Date(), policies: [...(options.policies ?? [])],
    };
    this.roles.set(name, role);
    return role;
  }

  assumable(arn: string): boolean {
    const role = [...this.roles.values()].find((r) => r.arn === arn);
    return !!role && Date.now() - role.created.getTime() >= this.propagationMs;
  }

  handle(req: IncomingMessage, body: Buffer, res: ServerResponse): boolean | Promise<boolean> {
    if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return false;
    const params = new URLSearchParams(body.toString('utf8'));
    const action = params.get('Action') as IamOperation | null;
    if (!action || params.get('Version') !== '2010-05-08') return false;
    return this.answer(action, params, res).then(() => true);
  }

  private async answer(action: IamOperation, params: URLSearchParams, res: ServerResponse): Promise<void> {
    const plan = this.faults.take(action);
    if (plan.delayMs) await new Promise((r) => setTimeout(r, plan.delayMs));
    if (plan.drop) return void res.socket?.destroy();
    if (plan.fail) return this.fault(res, action, plan.fail);
    switch (action) {
      case 'ListRoles': return this.listRoles(params, res);
      case 'CreateRole': return this.createRole(params, res);
      case 'GetRole': {
        const role = this.roles.get(params.get('RoleName') ?? '');
        if (!role) return this.error(res, 404, 'NoSuchEntity', `The role with name ${params.get('RoleName')} cannot be found.`);
        return this.send(res, action, `<Role>${roleXml(role)}</Role>`);
      }
      case 'AttachRolePolicy': {
        const role = this.roles.get(params.get('RoleName') ?? '');
        if (!role) return this.error(res, 404, 'NoSuchEntity', `The role with name ${params.get('RoleName')} cannot be found.`);
        const policy = params.get('PolicyArn') ?? '';
        if (!/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/.+/.test(policy)) return this.error(res, 400, 'InvalidInput', `ARN ${policy} is not valid.`);
        if (!role.policies.includes(policy)) role.policies.push(policy);
        return this.send(res, action, undefined);
      }
      default: return this.error(res, 400, 'InvalidAction', `Could not find operation ${String(action)} for version 2010-05-08`);
    }
  }

  private listRoles(params: URLSearchParams, res: ServerResponse): void {
    const all = [...this.roles.values()].sort((a, b) => a.name.localeCompare(b.name));
    const start = Number(params.get('Marker') ?? 0);
    const max = Math.min(Number(params.get('MaxItems') ?? 100), 1000);
    const page = all.slice(start, start + max);
    const truncated = start + max < all.length;
    const members = page.map((r) => `<member>${roleXml(r)}</member>`).join('');
    this.send(res, 'ListRoles', `<IsTruncated>${truncated}</IsTruncated><Roles>${members}</Roles>${truncated ? `<Marker>${start + max}</Marker>` : ''}`);
  }

  private createRole(params: URLSearchParams, res: ServerResponse): void {
    const name = params.get('RoleName') ?? '';
    if (!/^[\w+=,.@-]{1,64}$/.test(name)) return this.error(res, 400, 'ValidationError', `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
    if (this.roles.has(name)) return this.error(res, 409, 'EntityAlreadyExists', `Role with name ${name} already exists.`);
    const trust = params.get('AssumeRolePolicyDocument') ?? '';
    try {
      JSON.parse(trust);
    } catch {
      return this.error(res, 400, 'MalformedPolicyDocument', 'This policy contains invalid Json');
    }
    const role = this.addRole(name, trust, { path: params.get('Path') ?? '/', description: params.get('Description') ?? undefined });
    this.send(res, 'CreateRole', `<Role>${roleXml(role)}</Role>`);
  }

  private fault(res: ServerResponse, action: IamOperation, kind: FaultKind): void {
    if (kind === 'AccessDenied') return this.error(res, 403, 'AccessDenied', `User: arn:aws:iam::${ACCOUNT_ID}:user/test is not authorized to perform: iam:${action} on resource: arn:aws:iam::${ACCOUNT_ID}:role/`);
    if (kind === 'Throttle') return this.error(res, 400, 'Throttling', 'Rate exceeded');
    if (kind === 'ExpiredToken') return this.error(res, 403, 'ExpiredToken', 'The security token included in the request is expired');
    return this.error(res, 404, 'NoSuchEntity', 'The role cannot be found.');
  }

  private send(res: ServerResponse, action: IamOperation, result: string | undefined): void {
    const xml = `<${action}Response xmlns="${XMLNS}">${result === undefined ? '' : `<${action}Result>${result}</${action}Result>`}<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
    res.writeHead(200, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID(), 'Content-Length': Buffer.byteLength(xml) });
    res.end(xml);
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    const type = status >= 500 ? 'Receiver' : 'Sender';
    const xml = `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID(), 'Content-Length': Buffer.byteLength(xml) });
    res.end(xml);
  }
}

/** A role as IAM writes it: the trust policy URL-encoded, as ListRoles, GetRole and CreateRole return it. */
function roleXml(r: StoredRole): string {
  return `<Path>${escape(r.path)}</Path><RoleName>${escape(r.name)}</RoleName><RoleId>AROA${Buffer.from(r.name).toString('hex').slice(0, 16).toUpperCase()}</RoleId>`
    + `<Arn>${escape(r.arn)}</Arn><CreateDate>${r.created.toISOString()}</CreateDate><AssumeRolePolicyDocument>${escape(encodeURIComponent(r.trust))}</AssumeRolePolicyDocument>`
    + (r.description ? `<Description>${escape(r.description)}</Description>` : '') + '<MaxSessionDuration>3600</MaxSessionDuration>';
}
