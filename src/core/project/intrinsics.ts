// CloudFormation's intrinsic functions as far as a local run can know them: the template's own values, its
// parameters (defaults, samconfig, --parameter-overrides), its Mappings and Conditions, and the pseudo parameters.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = { [key: string]: Json };

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ "Fn::Sub": … }`, `{ "Ref": … }`: one key naming an intrinsic function. */
export function isIntrinsic(v: Json | undefined): boolean {
  if (!isObj(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** Resolves the intrinsics a local run can know (parameter values, pseudo parameters, Sub, Join, Select, FindInMap,
 *  and If by the template's Conditions) and renders the rest as readable placeholders such as `${MyTable.Arn}`,
 *  never failing. */
export class IntrinsicResolver {
  /** Conditions evaluated so far (undefined: one this resolver cannot decide). */
  private readonly decided = new Map<string, boolean | undefined>();

  constructor(private readonly parameters: Record<string, string>, private readonly region: string, private readonly accountId: string,
    private readonly conditions: Obj = {}, private readonly mappings: Obj = {}) {}

  ref(name: string): string {
    const pseudo: Record<string, string> = {
      'AWS::Region': this.region, 'AWS::AccountId': this.accountId, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'local', 'AWS::StackId': `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/local/local`, 'AWS::NoValue': '',
    };
    return pseudo[name] ?? this.parameters[name] ?? name;
  }

  /** Whether `v` is `AWS::NoValue` once its Ifs are decided: CloudFormation then leaves the property out. */
  omitted(v: Json): boolean {
    if (!isObj(v)) return false;
    if (v.Ref === 'AWS::NoValue') return true;
    const branch = this.branch(v);
    return branch !== undefined && this.omitted(branch);
  }

  value(v: Json): string {
    if (v === null) return '';
    if (typeof v !== 'object') return String(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x)).join(',');
    if ('Ref' in v) return this.ref(String(v.Ref));
    if ('Fn::Sub' in v) {
      const arg = v['Fn::Sub'];
      const [template, vars] = Array.isArray(arg) ? [String(arg[0]), isObj(arg[1]) ? arg[1] : {}] : [String(arg), {} as Obj];
      return template.replace(/\$\{([^}!]+)\}/g, (_, name: string) => (name in vars ? this.value(vars[name]) : name.includes('.') ? `\${${name}}` : this.ref(name)));
    }
    if ('Fn::Join' in v && Array.isArray(v['Fn::Join'])) {
      const [sep, list] = v['Fn::Join'];
      return Array.isArray(list) ? list.map((x) => this.value(x)).join(String(sep)) : this.value(list);
    }
    if ('Fn::GetAtt' in v) {
      const target = v['Fn::GetAtt'];
      return `\${${Array.isArray(target) ? target.join('.') : String(target)}}`;
    }
    const branch = this.branch(v);
    if (branch !== undefined) return this.value(branch);
    if ('Fn::Select' in v && Array.isArray(v['Fn::Select'])) {
      const [index, list] = v['Fn::Select'];
      return Array.isArray(list) ? this.value(list[Number(index)] ?? '') : this.value(list);
    }
    if ('Fn::FindInMap' in v && Array.isArray(v['Fn::FindInMap'])) {
      const keys = v['Fn::FindInMap'].slice(0, 3).map((k) => this.value(k));
      const top = this.mappings[keys[0]];
      const second = isObj(top) ? top[keys[1]] : undefined;
      const found = isObj(second) && Object.hasOwn(second, keys[2]) ? second[keys[2]] : undefined;
      return found === undefined ? `\${FindInMap:${keys.join('.')}}` : this.value(found);
    }
    if ('Fn::ImportValue' in v) return `\${Import:${this.value(v['Fn::ImportValue'])}}`;
    const [fn] = Object.keys(v);
    return `\${${fn}}`;
  }

  /** The branch an `Fn::If` takes: the second when its condition is false; the first when it is true or cannot be
   *  decided here. Undefined when `v` is no `Fn::If`. */
  private branch(v: Obj): Json | undefined {
    const arg = v['Fn::If'];
    if (!Array.isArray(arg)) return undefined;
    return (this.condition(String(arg[0])) === false ? arg[2] : arg[1]) ?? '';
  }

  /** A named condition of the template, evaluated with the parameter values (each once; a cycle is undecided). */
  private condition(name: string): boolean | undefined {
    if (this.decided.has(name)) return this.decided.get(name);
    this.decided.set(name, undefined);
    const result = Object.hasOwn(this.conditions, name) ? this.truth(this.conditions[name]) : undefined;
    this.decided.set(name, result);
    return result;
  }

  private truth(v: Json): boolean | undefined {
    if (!isObj(v)) return undefined;
    if (typeof v.Condition === 'string') return this.condition(v.Condition);
    const args = (fn: string): Json[] | undefined => (Array.isArray(v[fn]) ? v[fn] as Json[] : undefined);
    const equals = args('Fn::Equals');
    if (equals?.length === 2) {
      // An operand this resolver cannot know (a parameter with no value, a resource attribute) leaves it undecided.
      if (equals.some((x) => isObj(x) && typeof x.Ref === 'string' && !x.Ref.startsWith('AWS::') && !Object.hasOwn(this.parameters, x.Ref))) return undefined;
      const [a, b] = equals.map((x) => this.value(x));
      return a.includes('${') || b.includes('${') ? undefined : a === b;
    }
    const not = args('Fn::Not');
    if (not?.length === 1) {
      const inner = this.truth(not[0]);
      return inner === undefined ? undefined : !inner;
    }
    for (const [fn, all] of [['Fn::And', true], ['Fn::Or', false]] as const) {
      const list = args(fn);
      if (!list) continue;
      const values = list.map((x) => this.truth(x));
      // And: any false decides it; Or: any true does. Otherwise an undecided operand leaves it undecided.
      if (values.includes(!all)) return !all;
      return values.includes(undefined) ? undefined : all;
    }
    return undefined;
  }
}
