import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { keyedRecord } from '../json/keyedRecord';
import type { AwsCredentials } from '../runtime/environmentVariables';
import { queryPairs } from './apiEvents';

/**
 * SigV4 for function URLs with `AuthType: AWS_IAM`, checked locally the way Lambda checks it: the request is signed
 * (Authorization header) for service `lambda` in the function's region, within 15 minutes of now, by the access key
 * of the local credentials (the profile the functions run with: locally there is no IAM to ask who else may call),
 * and the signature is the one the SDK's own signer computes for the same request and keys. Presigned (query
 * string) requests are refused with a message: not verified here.
 */
export interface SignedRequest {
  readonly method: string;
  /** As on the wire (percent-encoded), without the query. */
  readonly path: string;
  readonly rawQuery: string;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

export type SigV4Check =
  | { readonly ok: true; readonly accessKey: string }
  | { readonly ok: false; readonly body: string; readonly problem: string };

/** Lambda's allowance for clock skew between the signer and the service. */
const SKEW_MS = 15 * 60_000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256\s+Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/i;

const forbidden = (problem: string): SigV4Check => ({ ok: false, body: JSON.stringify({ Message: 'Forbidden' }), problem });
const refused = (message: string, problem: string): SigV4Check => ({ ok: false, body: JSON.stringify({ message }), problem });

export async function checkSigV4(req: SignedRequest, credentials: AwsCredentials | undefined, region: string, now = Date.now()): Promise<SigV4Check> {
  const headers = headerMap(req.rawHeaders);
  const query = queryPairs(req.rawQuery);
  const authorization = headers.get('authorization');
  if (!authorization) {
    return query.some(([k]: [string, string]) => k.toLowerCase() === 'x-amz-signature')
      ? forbidden('AWS_IAM: a presigned (query-string) request is not verified locally; sign the Authorization header instead')
      : forbidden('AWS_IAM: the request is not SigV4-signed (no Authorization header)');
  }
  const parts = AUTHORIZATION.exec(authorization);
  if (!parts) return refused('Authorization header requires \'Credential\', \'SignedHeaders\' and \'Signature\' parameters (AWS4-HMAC-SHA256).', 'AWS_IAM: the Authorization header is not AWS4-HMAC-SHA256');
  const [, accessKey, scopeDate, scopeRegion, service, signedList, signature] = parts;
  if (service !== 'lambda') return refused(`Credential should be scoped to correct service: 'lambda'.`, `AWS_IAM: signed for service ${service}, not lambda`);
  if (scopeRegion !== region) return refused(`Credential should be scoped to a valid region, not '${scopeRegion}'.`, `AWS_IAM: signed for region ${scopeRegion}, the function's is ${region}`);
  const stamp = headers.get('x-amz-date') ?? '';
  const signedAt = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!signedAt || !stamp.startsWith(scopeDate)) return refused('Missing or invalid X-Amz-Date header.', 'AWS_IAM: no X-Amz-Date matching the credential scope');
  const signingDate = new Date(Date.UTC(+signedAt[1], +signedAt[2] - 1, +signedAt[3], +signedAt[4], +signedAt[5], +signedAt[6]));
  if (Math.abs(now - signingDate.getTime()) > SKEW_MS) return refused('Signature expired: the signing time is more than 15 minutes from now.', `AWS_IAM: signed at ${signingDate.toISOString()}, over 15 minutes from this machine's clock`);
  if (!credentials) return forbidden('AWS_IAM: there are no local credentials to check the signature against (set AWS_PROFILE or run with --profile)');
  if (accessKey !== credentials.accessKeyId) return refused('The security token included in the request is invalid.', `AWS_IAM: signed with access key ${accessKey}, not the local profile's`);

  // What the caller signed, recomputed by the SDK's signer: only the headers it named.
  const signedNames = signedList.toLowerCase().split(';');
  const signedHeaders = keyedRecord<string>();
  for (const name of signedNames) signedHeaders[name] = headers.get(name) ?? '';
  const host = headers.get('host') ?? '';
  const signer = new SignatureV4({ credentials, region, service: 'lambda', sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
  const expected = await signer.sign({
    method: req.method, protocol: 'http:', hostname: host.replace(/:\d+$/, ''), path: req.path, query: queryRecord(query),
    headers: signedHeaders, body: req.body.length ? req.body : undefined,
  }, { signingDate, signableHeaders: new Set(signedNames), unsignableHeaders: new Set() });
  const ours = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization ?? ''))?.[1] ?? '';
  if (ours.length !== signature.length || !timingSafeEqual(Buffer.from(ours), Buffer.from(signature.toLowerCase()))) {
    return refused('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      'AWS_IAM: the signature does not match (another secret key, or the request changed after signing)');
  }
  return { ok: true, accessKey };
}

/** Header names lower-cased; repeated headers' values joined with commas, as the canonical request joins them. */
function headerMap(raw: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = raw[i + 1].trim().replace(/\s+/g, ' ');
    map.set(name, map.has(name) ? `${map.get(name)},${value}` : value);
  }
  return map;
}

function queryRecord(pairs: readonly [string, string][]): Record<string, string | string[]> {
  const query = keyedRecord<string | string[]>();
  for (const [k, v] of pairs) {
    const seen = query[k];
    query[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  return query;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): string | Buffer {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/** The signer's hash: SHA-256, or HMAC-SHA256 with a key (node:crypto, as the SDK's Node hash does). */
class NodeSha256 {
  private hash: Hash | Hmac;
  private readonly key?: string | Buffer;

  constructor(secret?: SourceData) {
    this.key = secret === undefined ? undefined : bytes(secret);
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.key === undefined ? createHash('sha256') : createHmac('sha256', this.key);
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }

  reset(): void {
    this.hash = this.fresh();
  }
}
