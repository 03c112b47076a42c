// Loads the handler named by $_HANDLER from $LAMBDA_TASK_ROOT by the rules of AWS's Node.js runtime client: the
// module is the last path segment up to its first dot, the rest a property path; an extensionless file first, then
// `.js` (CommonJS unless the nearest package.json says "type": "module"), `.mjs`, `.cjs`, then Node's own resolution.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { RuntimeError, runtimeMajor } = require('./errors');

function isModulePackage(folder) {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (dir.endsWith(`${path.sep}node_modules`)) return false;
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try { return JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module'; } catch { return false; }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

const load = {
  require: (file) => (fs.existsSync(file) ? require(file) : undefined),
  import: async (file) => {
    if (!fs.existsSync(file)) return undefined;
    // Required here: only an ES module handler needs NODE_PATH's folders searched for its imports.
    require('./esmSearchPaths').searchNodePathFrom(file);
    return import(pathToFileURL(file).href);
  },
};

async function loadModule(root, moduleRoot, moduleName) {
  // A transpiled TypeScript handler: the host names the output file.
  const compiled = process.env.LWB_HANDLER_FILE;
  const base = path.resolve(root, moduleRoot, moduleName);
  // A CommonJS handler's import() of a layer's package too, where the hook runs in this thread and costs nothing
  // (module.registerHooks); on older Nodes only ES module handlers get it (load.import).
  if (typeof Module.registerHooks === 'function' && (process.env.NODE_PATH || '').includes('node_modules')) {
    require('./esmSearchPaths').searchNodePathFrom(compiled || base);
  }
  if (compiled) return compiled.endsWith('.mjs') ? load.import(compiled) : load.require(compiled);
  const extensionless = load.require(base);
  if (extensionless) return extensionless;
  const esmJs = fs.existsSync(`${base}.js`) && isModulePackage(path.dirname(base));
  if (!esmJs) {
    const cjs = load.require(`${base}.js`);
    if (cjs) return cjs;
  }
  const found = (esmJs && await load.import(`${base}.js`)) || await load.import(`${base}.mjs`) || load.require(`${base}.cjs`);
  if (found) return found;
  return require(require.resolve(moduleName, { paths: [root, path.resolve(root, moduleRoot)] }));
}

/** Where a syntax error is: CommonJS puts `file:line` first in the stack; for an ES module Node says nothing, so the
 *  file is checked with `node --check` (only on this error path). */
function syntaxErrorLocation(error, candidates) {
  const first = String(error.stack || '').split('\n')[0];
  const cjs = /^(.+):(\d+)$/.exec(first);
  if (cjs) return `${cjs[1]}:${cjs[2]}`;
  for (const file of candidates) {
    if (!fs.existsSync(file)) continue;
    try {
      // Required here, not at the top: loading child_process costs every cold start ~5 ms, and once it is loaded
      // every invocation is end-marked on both streams (see outputMarks.js).
      require('node:child_process').execFileSync(process.execPath, ['--check', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (check) {
      const where = /^(?:file:\/\/)?(.+):(\d+)$/m.exec(String(check.stderr || ''));
      if (where) return `${decodeURIComponent(where[1])}:${where[2]}`;
    }
  }
  return undefined;
}

async function loadHandler(handlerString = process.env._HANDLER || '', root = process.env.LAMBDA_TASK_ROOT || process.cwd()) {
  if (handlerString.includes('..')) {
    throw new RuntimeError('MalformedHandlerName', `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const moduleAndPath = path.basename(handlerString);
  const moduleRoot = handlerString.slice(0, handlerString.indexOf(moduleAndPath));
  const match = /^([^.]*)\.(.*)$/.exec(moduleAndPath);
  if (!match) throw new RuntimeError('MalformedHandlerName', 'Bad handler');
  const [, moduleName, propertyPath] = match;
  let mod;
  try {
    mod = await loadModule(root, moduleRoot, moduleName);
  } catch (error) {
    if (error instanceof SyntaxError) {
      const base = path.resolve(root, moduleRoot, moduleName);
      const where = syntaxErrorLocation(error, [process.env.LWB_HANDLER_FILE || '', `${base}.js`, `${base}.mjs`, `${base}.cjs`].filter(Boolean));
      const wrapped = new RuntimeError('UserCodeSyntaxError', String(error));
      wrapped.stack = `${wrapped.name}: ${wrapped.message}${where ? `\n    at ${where}` : ''}`;
      throw wrapped;
    }
    if (error && error.code === 'MODULE_NOT_FOUND') {
      const wrapped = new RuntimeError('ImportModuleError', String(error));
      wrapped.stack = `${wrapped.name}: ${wrapped.message}`;
      throw wrapped;
    }
    throw error; // the module's own init code threw: its error as it is
  }
  const find = (from) => propertyPath.split('.').reduce((value, key) => value && value[key], from);
  let handler = find(mod);
  // nodejs24.x's client (4.x) also looks in the default export: `export default { handler }` is `index.handler`.
  if (!handler && runtimeMajor() >= 24 && mod !== null && typeof mod === 'object' && 'default' in mod) handler = find(mod.default);
  if (!handler) throw new RuntimeError('HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new RuntimeError('HandlerNotFound', `${handlerString} is not a function`);
  return handler;
}

/** What the runtime needs to know about a handler's shape. */
function handlerShape(handler) {
  return {
    isAsync: handler.constructor?.name === 'AsyncFunction',
    argsNum: handler.length,
  };
}

module.exports = { loadHandler, handlerShape };
