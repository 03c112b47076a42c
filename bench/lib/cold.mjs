// Cold starts: our whole cold invoke vs a bare spawn of the same handler with the same (resolved) interpreter.
// Samples alternate ours / bare so machine drift hits both alike.
import { dirname } from 'node:path';
import { coldInvoker } from './ours.mjs';
import { capture, timeRun } from './procs.mjs';
import { summarize } from './stats.mjs';

/** The real interpreter paths, shims resolved away (our runtime does the same). */
export async function resolveInterpreters() {
  const node = await capture('node', ['-e', 'console.log(process.execPath)']);
  let python;
  let pythonVersion;
  let pythonError;
  try {
    [python, pythonVersion] = (await capture('python3', ['-c', 'import sys;print(sys.executable);print("%d.%d" % sys.version_info[:2])'])).split('\n');
  } catch (error) { pythonError = error.message; }
  return { node, python, pythonVersion, pythonError };
}

/**
 * The bare spawn's environment: only the host variables our runtime passes through to a function (PATH, LANG; see
 * buildEnvironment), so start-up-altering variables of the shell (NODE_EXTRA_CA_CERTS costs Node ~50 ms, NODE_OPTIONS,
 * PYTHON*) weigh on neither side. Python also gets PYTHONDONTWRITEBYTECODE=1 as ours does (and leaves no __pycache__).
 */
export function bareEnv(extra = {}) {
  const env = {};
  for (const key of ['PATH', 'SYSTEMROOT', 'LANG']) if (process.env[key] !== undefined) env[key] = process.env[key];
  return { ...env, ...extra };
}

async function compare({ config, bare, samples }) {
  const ours = coldInvoker(config);
  try {
    // One discarded round each: interpreter probing, file-system caches, bytecode caches.
    await ours.once();
    await bare();
    const oursMs = [];
    const bareMs = [];
    const init = [];
    for (let i = 0; i < samples; i++) {
      const o = await ours.once();
      oursMs.push(o.ms);
      if (o.initDurationMs !== undefined) init.push(o.initDurationMs);
      bareMs.push(await bare());
      await new Promise((r) => setTimeout(r, 20)); // let the killed environment finish exiting
    }
    return { ours: summarize(oursMs), bare: summarize(bareMs), init: init.length ? summarize(init) : undefined };
  } finally {
    await ours.dispose();
  }
}

export function coldNode({ handlerPath, nodePath, samples }) {
  const config = { name: 'bench-cold-node', runtime: 'nodejs20.x', handler: 'handler.handler', codeDir: dirname(handlerPath), timeout: 30 };
  const script = `require(${JSON.stringify(handlerPath)}).handler({}).then(r => console.log(JSON.stringify(r)))`;
  const bare = async () => {
    const { ms, stdout } = await timeRun(nodePath, ['-e', script], { env: bareEnv() });
    if (!stdout.includes('"statusCode":200')) throw new Error(`bare node spawn printed ${stdout.slice(0, 200)}`);
    return ms;
  };
  return compare({ config, bare, samples });
}

export function coldPython({ handlerFile, pythonPath, pythonVersion, samples }) {
  const dir = dirname(handlerFile);
  const config = { name: 'bench-cold-python', runtime: `python${pythonVersion}`, handler: 'handler.lambda_handler', codeDir: dir, timeout: 30 };
  const script = `import sys; sys.path.insert(0, ${JSON.stringify(dir)}); import handler; print(handler.lambda_handler({}, None))`;
  const bare = async () => {
    const { ms, stdout } = await timeRun(pythonPath, ['-c', script], { env: bareEnv({ PYTHONDONTWRITEBYTECODE: '1' }) });
    if (!stdout.includes("'statusCode': 200")) throw new Error(`bare python spawn printed ${stdout.slice(0, 200)}`);
    return ms;
  };
  return compare({ config, bare, samples });
}

/**
 * Whole processes, the way a user runs them: `node dist/cli.js invoke <handler>` (CLI start, interpreter lookup from
 * its cache, the function's process, exit) against a bare interpreter running the same handler, and `--version`
 * against `node -e 0`. Both sides get this shell's environment as it is (NODE_EXTRA_CA_CERTS, if set, weighs on every
 * Node start; our function processes do not get it, as on Lambda). One discarded round; pairs alternate.
 */
export async function wholeProcess({ cli, nodeHandler, pythonHandler, python, samples }) {
  const nodeScript = `require(${JSON.stringify(nodeHandler)}).handler({}).then(r => console.log(JSON.stringify(r)))`;
  const pyDir = dirname(pythonHandler);
  const pyScript = `import sys; sys.path.insert(0, ${JSON.stringify(pyDir)}); import handler; print(handler.lambda_handler({}, None))`;
  const handlerSpec = (file, fn) => `${file.replace(/\.(js|py)$/, '')}.${fn}`;
  const pairs = [
    { name: 'version', ours: ['node', [cli, '--version']], bare: ['node', ['-e', '0']] },
    { name: 'node', ours: ['node', [cli, 'invoke', handlerSpec(nodeHandler, 'handler')]], bare: ['node', ['-e', nodeScript]] },
  ];
  if (python) {
    pairs.push({ name: 'python', ours: ['node', [cli, 'invoke', handlerSpec(pythonHandler, 'lambda_handler')]], bare: [python, ['-c', pyScript]], alsoBare: ['python3', ['-c', pyScript]] });
  }
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  const results = {};
  for (const pair of pairs) {
    const ours = [];
    const bare = [];
    const also = [];
    for (let i = 0; i <= samples; i++) {
      const o = (await timeRun(pair.ours[0], pair.ours[1], { env })).ms;
      const b = (await timeRun(pair.bare[0], pair.bare[1], { env })).ms;
      const a = pair.alsoBare ? (await timeRun(pair.alsoBare[0], pair.alsoBare[1], { env })).ms : undefined;
      if (i === 0) continue;
      ours.push(o);
      bare.push(b);
      if (a !== undefined) also.push(a);
    }
    results[pair.name] = { ours: summarize(ours), bare: summarize(bare), also: also.length ? summarize(also) : undefined };
  }
  return results;
}
