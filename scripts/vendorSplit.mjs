// Keeps the big libraries out of the extension's and the CLI's own bundles so that loading one compiles and runs
// only our code: the AWS SDK (~1.6 MiB), yaml, jsonc-parser and jose each become a file of their own under
// dist/vendor/, loaded the first time one of their exports is *used* — not when a module that imports them loads.
//
// How: in each bundle an import of such a package resolves to a small module whose exports are getters; the
// first getter read requires dist/vendor/<group>.js. esbuild reads a CommonJS import's properties at each use
// (`import_yaml.parse(…)`), so an `import { parse } from 'yaml'` at the top of a module costs nothing until parse is
// called. Then each group is bundled once, with every package of the group that the bundle asked for.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Which vendor file a package goes to. The SDK's clients share one (one copy of @smithy between them); reading
 *  the shared config files and the environment's keys (every local invoke asks for the function's credentials) and
 *  the event-stream codec (streamed invokes) and the SigV4 signer (AWS_IAM function URLs) are small files of their
 *  own, so a local run never parses the clients. */
export function vendorGroup(specifier) {
  if (specifier === '@smithy/core/config' || specifier === '@aws-sdk/credential-provider-env') return 'aws-config';
  if (specifier === '@smithy/core/event-streams') return 'aws-event-streams';
  // The local API's check of signed function URL requests: the signer alone, not the clients.
  if (specifier === '@smithy/signature-v4') return 'aws-sigv4';
  if (/^@(aws-sdk|smithy|aws-crypto)\//.test(specifier)) return 'aws-sdk';
  if (specifier === 'yaml' || specifier === 'jsonc-parser' || specifier === 'jose') return specifier;
  return undefined;
}

const fromOurCode = (importer) => !/[/\\]node_modules[/\\]/.test(importer);

/**
 * The names a source file takes from a package with `import { a, b as c, type d } from 'pkg'`, or undefined when
 * it takes the package another way (a namespace or default import, a re-export, a dynamic import): then the shim
 * offers every export. Each importing module gets a shim of its own with just its names, because esbuild copies
 * every export of a CommonJS module into each module that imports it (~7 ms of a 15 ms start for the SDK clients).
 */
export function importedNames(source, specifier) {
  const quoted = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const names = new Set();
  let other = false;
  const statement = new RegExp(`(?:^|[;\\n])\\s*(import|export)\\s+([^;]*?)\\s+from\\s+['"]${quoted}['"]`, 'g');
  for (const [, keyword, clause] of source.matchAll(statement)) {
    if (/^type\s/.test(clause)) continue; // erased
    const braces = /^\{([^}]*)\}$/.exec(clause.trim());
    if (keyword !== 'import' || !braces) { other = true; continue; }
    for (const part of braces[1].split(',').map((x) => x.trim()).filter(Boolean)) {
      if (!/^type\s/.test(part)) names.add(part.split(/\s+as\s+/)[0]);
    }
  }
  if (new RegExp(`(?:import|require)\\(\\s*['"]${quoted}['"]`).test(source)) other = true;
  return other ? undefined : [...names];
}

/** The plugin for the extension's and the CLI's bundles; `used` collects, per group, the specifiers they imported. */
export function vendorSplit(used) {
  return {
    name: 'vendor-split',
    setup(build) {
      build.onResolve({ filter: /^[@a-z]/ }, (args) => {
        const group = vendorGroup(args.path);
        if (!group || !fromOurCode(args.importer)) return undefined;
        if (!used.has(group)) used.set(group, new Set());
        used.get(group).add(args.path);
        // One shim per importing file (the path after '|' only keeps them apart; onLoad reads the importer).
        return { path: `${args.path}|${args.importer}`, namespace: 'vendor-shim' };
      });
      build.onLoad({ filter: /.*/, namespace: 'vendor-shim' }, (args) => {
        const [specifier, importer] = args.path.split('|');
        const group = vendorGroup(specifier);
        // The names are known at build time (the package is installed here), so each can be a getter of its own.
        const all = Object.keys(require(specifier)).filter((name) => name !== 'default' && name !== '__esModule');
        const wanted = importedNames(readFileSync(importer, 'utf8'), specifier);
        const missing = wanted?.filter((name) => !all.includes(name)) ?? [];
        if (missing.length) return { errors: [{ text: `${specifier} has no export ${missing.join(', ')} (imported by ${importer})` }] };
        const names = wanted ?? all;
        const contents = [
          'let loaded;',
          // A plain require with a literal path outside the bundle: esbuild leaves it as it is (the file is external).
          `const load = () => loaded ??= require(${JSON.stringify(`./vendor/${group}.js`)})[${JSON.stringify(specifier)}];`,
          "Object.defineProperty(exports, '__esModule', { value: true });",
          `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
        ].join('\n');
        return { contents, loader: 'js', resolveDir: process.cwd() };
      });
      build.onResolve({ filter: /^\.\/vendor\// }, (args) => (args.namespace === 'vendor-shim' ? { path: args.path, external: true } : undefined));
    },
  };
}

/** The entry of one vendor file: each package behind a getter, so loading the file runs none of them. */
export function vendorEntry(specifiers) {
  const lines = [...specifiers].sort().map((s) => `  get ${JSON.stringify(s)}() { return require(${JSON.stringify(s)}); },`);
  return `module.exports = {\n${lines.join('\n')}\n};\n`;
}
