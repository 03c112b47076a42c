// The resolve hook of esmSearchPaths.js for Nodes without module.registerHooks (it runs on the loader thread that
// module.register starts): a bare import the usual walk cannot find is tried from each NODE_PATH folder in turn.
import esmSearchPaths from './esmSearchPaths.js';

const { isBare } = esmSearchPaths;
let parents = [];

export function initialize(data) {
  parents = data.parents;
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier)) throw error;
    for (const parentURL of parents) {
      try { return await nextResolve(specifier, { ...context, parentURL }); } catch { /* the next folder */ }
    }
    throw error;
  }
}
