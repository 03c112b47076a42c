// Small readers of a parsed template's values, shared by the route and authorizer readers.

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
export const strings = (v: unknown): string[] => list(v).map((x) => unquote(String(x)));
/** REST Cors values are quoted literals (`"'*'"`): API Gateway's header mapping syntax. */
export const unquote = (s: string): string => s.replace(/^'(.*)'$/, '$1');

/** The logical id behind `!Ref X`, `!GetAtt X.Arn`, `X` or an ARN whose last part is a function name. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.includes(':') ? value.split(':').pop() : value.split('.')[0];
  if (!isObj(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att)) return String(att[0]);
  if (typeof att === 'string') return att.split('.')[0];
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return /\$\{([A-Za-z0-9]+)(\.Arn)?\}/.exec(sub)?.[1];
  return undefined;
}
