type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An innermost `${…}` (no `${` inside it), so nested variables resolve from the inside out. */
const INNERMOST = /\$\{([^${}]*)\}/;
const WHOLE = /^\$\{([^${}]*)\}$/;
/** A framework variable names its source first (`self:`, `env:`, `file(…):`); CloudFormation's `${AWS::Region}`
 *  and `${MyTable.Arn}` in `resources` are not variables and stay as they are. */
const VARIABLE = /^\s*[A-Za-z][\w-]*(\([^)]*\))?:(?!:)/;

/**
 * The Serverless Framework's variables that a local run can know, resolved as the framework resolves them:
 * `${self:path.to.value}`, `${sls:stage}`, `${opt:stage}` (`--stage`, else its fallback), `${opt:region}` and
 * `${aws:region}` (`--region`, else provider.region),
 * `${env:NAME}`, nested ones (`${self:custom.${sls:stage}.table}`) and fallbacks after a comma
 * (`${env:TABLE, 'orders'}`, `${opt:stage, 'dev'}`). A string that is one variable takes its value's type (an object,
 * a number). Others (`${ssm:…}`, `${cf:…}`, `${file(…)}`, `${aws:accountId}`) stay as written and are listed.
 */
export function resolveServerlessVariables(doc: Obj, env: Readonly<Record<string, string | undefined>>, options: { readonly stage?: string; readonly region?: string } = {}): { doc: Obj; unresolved: string[] } {
  const unresolved = new Set<string>();
  const resolving = new Set<string>();

  const lookup = (path: string): unknown => path.split('.').filter(Boolean).reduce<unknown>((v, key) => (isObj(v) || Array.isArray(v) ? (v as Obj)[key] : undefined), doc);
  const selfValue = (path: string): unknown => {
    if (resolving.has(path)) return undefined; // a cycle: the framework refuses it; here it stays as written
    resolving.add(path);
    try {
      return resolve(lookup(path));
    } finally {
      resolving.delete(path);
    }
  };
  const source = (expr: string): unknown => {
    const text = expr.trim();
    const quoted = /^(['"])(.*)\1$/s.exec(text);
    if (quoted) return quoted[2];
    if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
    if (text === 'true' || text === 'false') return text === 'true';
    const colon = text.indexOf(':');
    const [kind, arg] = [text.slice(0, colon), text.slice(colon + 1).trim()];
    if (kind === 'self') return selfValue(arg);
    // `--stage` is the framework's `opt:stage`, and the stage itself over provider.stage.
    if (kind === 'opt' && arg === 'stage') return options.stage;
    if (kind === 'sls' && arg === 'stage') return options.stage ?? first(['self:provider.stage', "'dev'"]);
    // `--region` likewise is `opt:region`, and the region over provider.region.
    if (kind === 'opt' && arg === 'region') return options.region;
    if (kind === 'aws' && arg === 'region') return options.region ?? first(['self:provider.region', "'us-east-1'"]);
    if (kind === 'env') return env[arg];
    return undefined; // other opt: options, ssm:, cf:, s3:, file(…):, aws:accountId…
  };
  function first(alternatives: readonly string[]): unknown {
    for (const alt of alternatives) {
      const value = source(alt);
      if (value !== undefined && value !== null) return value;
    }
    return undefined;
  }
  // Alternatives are split at commas outside quotes.
  const expression = (inner: string): unknown => first(inner.split(/,(?=(?:[^'"]|'[^']*'|"[^"]*")*$)/));

  function resolveString(text: string): unknown {
    const held: string[] = [];
    const restore = (s: string): string => s.replace(/\uE000(\d+)\uE000/g, (_, i: string) => held[Number(i)]);
    let out = text;
    for (;;) {
      const whole = held.length === 0 ? WHOLE.exec(out) : null;
      if (whole && VARIABLE.test(whole[1])) {
        const value = expression(whole[1]);
        if (value !== undefined) return value;
      }
      const m = INNERMOST.exec(out);
      if (!m) break;
      const value = VARIABLE.test(m[1]) ? expression(m[1]) : undefined;
      if (value === undefined) {
        if (VARIABLE.test(m[1])) unresolved.add(restore(m[0]));
        held.push(m[0]);
      }
      const replacement = value === undefined ? `\uE000${held.length - 1}\uE000` : typeof value === 'object' ? JSON.stringify(value) : String(value);
      out = out.slice(0, m.index) + replacement + out.slice(m.index + m[0].length);
    }
    return restore(out);
  }
  function resolve(value: unknown): unknown {
    if (typeof value === 'string') return value.includes('${') ? resolveString(value) : value;
    if (Array.isArray(value)) return value.map(resolve);
    if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
    return value;
  }
  return { doc: resolve(doc) as Obj, unresolved: [...unresolved] };
}
