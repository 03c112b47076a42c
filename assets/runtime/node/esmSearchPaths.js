// NODE_PATH for ES modules. Lambda resolves an ES module handler's bare imports from its layers
// (/opt/nodejs/node_modules…) as it does a CommonJS one's, but Node's ESM resolver ignores NODE_PATH: locally,
// `import 'common'` of a layer's package failed with ERR_MODULE_NOT_FOUND. A resolve hook tries the folders of
// NODE_PATH that the import's own upward node_modules walk does not reach, in order, after that walk failed.
// Registered only when such folders exist for an ES module handler: module.registerHooks runs in this thread (Node
// 22.15+); module.register starts a loader thread (~60 ms on Node 20), a cost paid only by functions that need it.
'use strict';
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

/** A package name (with its subpath), not a relative path, an absolute one, a URL (node:, file:) or an import map. */
function isBare(specifier) {
  return !/^[./#]/.test(specifier) && !specifier.includes(':');
}

/** The parent URLs to resolve `specifier` from instead: a file inside each folder, so the walk starts there. */
function fallbackParents(folders) {
  return folders.map((folder) => pathToFileURL(path.join(folder, 'lambda-workbench-search-path.js')).href);
}

/** NODE_PATH's package folders (…/node_modules: the layers', a workspace's) that the node_modules walk up from
 *  `file`'s folder does not visit. The task root, also on NODE_PATH, holds the function's own files, which an ES
 *  module imports by relative path: it alone does not add the hook (nor its cost). */
function extraFolders(file, nodePath = process.env.NODE_PATH || '') {
  const walked = new Set();
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    walked.add(path.join(dir, 'node_modules'));
    if (path.dirname(dir) === dir) break;
  }
  return nodePath.split(path.delimiter).filter(Boolean).map((p) => path.resolve(p)).filter((p) => path.basename(p) === 'node_modules' && !walked.has(p));
}

let registered = false;

/** Before an ES module handler at `file` is imported: the hook, if NODE_PATH has folders its imports would miss. */
function searchNodePathFrom(file) {
  if (registered) return;
  const folders = extraFolders(file);
  if (folders.length === 0) return;
  registered = true;
  const parents = fallbackParents(folders);
  if (typeof Module.registerHooks === 'function') {
    Module.registerHooks({
      resolve(specifier, context, nextResolve) {
        try {
          return nextResolve(specifier, context);
        } catch (error) {
          if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier)) throw error;
          for (const parentURL of parents) {
            try { return nextResolve(specifier, { ...context, parentURL }); } catch { /* the next folder */ }
          }
          throw error;
        }
      },
    });
  } else if (typeof Module.register === 'function') {
    Module.register(pathToFileURL(path.join(__dirname, 'esmSearchPathsHooks.mjs')).href, { data: { parents } });
  }
}

module.exports = { searchNodePathFrom, extraFolders, isBare };
