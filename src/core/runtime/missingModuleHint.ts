import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { pathExists } from '../pathExists';

/** What Lambda's Python runtimes carry besides the standard library (the SDK and what it needs). */
const PYTHON_RUNTIME_PACKAGES = new Set(['boto3', 'botocore', 's3transfer', 'jmespath', 'dateutil', 'urllib3', 'six']);
/** Import names whose pip package is named otherwise (the usual ones). */
const PIP_NAMES: Record<string, string> = {
  dateutil: 'python-dateutil', yaml: 'PyYAML', PIL: 'Pillow', cv2: 'opencv-python', sklearn: 'scikit-learn', bs4: 'beautifulsoup4',
  dotenv: 'python-dotenv', jwt: 'PyJWT', Crypto: 'pycryptodome', psycopg2: 'psycopg2-binary', magic: 'python-magic',
};
/** The AWS SDK for JavaScript v3 and its parts, in Lambda's nodejs18.x and later runtimes. */
const NODE_RUNTIME_SDK = /^@(aws-sdk|smithy|aws-crypto)\//;

export interface MissingModuleContext {
  readonly runtime: string;
  readonly codeDir: string;
  /** The interpreter that ran the function, for the commands the hint gives. */
  readonly interpreter: string;
  /** `app.handler`, `src/app.handler`: a missing handler module is not a missing package. */
  readonly handler: string;
}

/** The module a failed load names: Python's `No module named 'x.y'`, Node's `Cannot find module 'x'` (CommonJS)
 *  and `Cannot find package 'x' imported from …` (ES modules). */
export function missingModule(errorMessage: string): string | undefined {
  return /No module named '([^']+)'/.exec(errorMessage)?.[1] ?? /Cannot find (?:module|package) '([^']+)'/.exec(errorMessage)?.[1];
}

const quoted = (path: string): string => (/[\s'"]/.test(path) ? JSON.stringify(path) : path);

/** The package.json from the function's folder up that lists `name` (what `npm install` there would install). */
async function declaringManifest(codeDir: string, name: string): Promise<string | undefined> {
  for (let dir = codeDir, i = 0; i < 8; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        const manifest = JSON.parse(text) as Record<string, Record<string, unknown> | undefined>;
        if (['dependencies', 'devDependencies', 'optionalDependencies'].some((k) => manifest[k]?.[name] !== undefined)) return file;
      } catch { /* not JSON: npm would say so */ }
    }
    if (dirname(dir) === dir) break;
  }
  return undefined;
}

async function nodeHint(name: string, ctx: MissingModuleContext): Promise<string | undefined> {
  if (name.startsWith('.') || name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name) || name.startsWith('node:')) return undefined;
  const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
  if (pkg === 'aws-sdk') {
    return `aws-sdk (the AWS SDK for JavaScript v2) is not in Lambda's nodejs18.x and later runtimes either: use the v3 clients (@aws-sdk/client-*), which are, or package aws-sdk with the function (npm install aws-sdk in ${quoted(ctx.codeDir)}).`;
  }
  const sdk = NODE_RUNTIME_SDK.test(pkg);
  // The function's own package.json first: what it declares, npm install brings (the scaffolds declare the SDK).
  const manifest = await declaringManifest(ctx.codeDir, pkg);
  if (manifest) {
    return `${pkg} is in ${quoted(manifest)} but not installed: run npm install in ${quoted(dirname(manifest))}.` +
      (sdk ? ` (Lambda's ${ctx.runtime} runtime has the AWS SDK for JavaScript v3 built in; a local Node takes it from node_modules.)` : '');
  }
  if (sdk) {
    return `${pkg} is part of Lambda's ${ctx.runtime} runtime (the AWS SDK for JavaScript v3), not of a local Node: for local runs install it beside the function, e.g. npm install --save-dev ${pkg} in ${quoted(ctx.codeDir)}.`;
  }
  return `${pkg} is not installed in the function's folder or a layer: npm install ${pkg} in ${quoted(ctx.codeDir)}, or add it to a layer.`;
}

/** `No module named 'pkg.sub'`: Python imported pkg, so only sub is missing, and installing a package named pkg
 *  would not help (on PyPI that name may even be another project). Said only when pkg is the function's own (Python
 *  finds the task root first); for a package installed elsewhere (site-packages, a layer) nothing is guessed. */
async function submoduleHint(name: string, ctx: MissingModuleContext): Promise<string | undefined> {
  const parts = name.split('.');
  const parent = parts.slice(0, -1);
  const sub = parts[parts.length - 1];
  const dir = join(ctx.codeDir, ...parent);
  if (await stat(dir).then((s) => s.isDirectory(), () => false)) {
    return `${name} is not in the function's folder: its package ${parent.join('.')} (${quoted(dir)}) has no ${sub}.py or ${sub}/.`;
  }
  if (await pathExists(`${dir}.py`)) {
    return `${name} cannot be imported: ${parent.join('.')} is a module of the function's folder (${quoted(`${dir}.py`)}), not a package.`;
  }
  return undefined;
}

async function pythonHint(name: string, ctx: MissingModuleContext): Promise<string | undefined> {
  if (name.includes('.')) return submoduleHint(name, ctx);
  const top = name;
  const pip = PIP_NAMES[top] ?? top;
  const python = quoted(ctx.interpreter);
  if (PYTHON_RUNTIME_PACKAGES.has(top)) {
    return `${top} is part of Lambda's ${ctx.runtime} runtime but not installed for ${python}: for local runs, ${python} -m pip install ${pip}.`;
  }
  const requirements = join(ctx.codeDir, 'requirements.txt');
  if (await pathExists(requirements)) {
    const where = relative(process.cwd(), requirements) || basename(requirements);
    return `${top} is not installed for ${python}, nor beside the function. Lambda imports what the deployment package holds: ${python} -m pip install -r ${quoted(where)} -t ${quoted(ctx.codeDir)} puts ${basename(requirements)} there; or run with an interpreter that has it (--python, the lambdaWorkbench.pythonPath setting, e.g. a virtual environment's python).`;
  }
  return `${top} is not installed for ${python}, nor in the function's folder or a layer: ${python} -m pip install ${pip} -t ${quoted(ctx.codeDir)} packages it with the function.`;
}

/** A line that says how to make a failed import work locally. Undefined at once when the error is no failed import
 *  of a package (most errors: nothing to read), else a promise, as the line depends on the function's package.json
 *  or requirements.txt (read asynchronously: the extension host's thread never waits on them). */
export function missingModuleHint(error: { readonly errorType: string; readonly errorMessage: string }, ctx: MissingModuleContext): Promise<string | undefined> | undefined {
  const name = missingModule(error.errorMessage);
  const handlerModule = ctx.handler.slice(0, ctx.handler.lastIndexOf('.'));
  if (!name || name === handlerModule || name === handlerModule.replace(/\//g, '.') || name.endsWith(`/${basename(handlerModule)}`)) return undefined;
  if (ctx.runtime.startsWith('python')) return /ImportModuleError|ModuleNotFoundError/.test(error.errorType) ? pythonHint(name, ctx) : undefined;
  if (ctx.runtime.startsWith('nodejs')) return nodeHint(name, ctx);
  return undefined;
}
