// Keeps the big libraries out of the CLI's own bundle so that loading it compiles and runs only our code: the AWS SDK (~1.6 MiB), yaml, jsonc-parser and jose each become a file of their own under
// dist/vendor/, loaded the first time one of their exports is *used* — not when a module that imports them loads.
//
// How: in the CLI's bundle an import of such a package resolves to a small module whose exports are getters; the
// first getter read requires dist/vendor/<group>.js. esbuild reads a CommonJS import's properties at each use
// (`import_yaml.parse(…)`), so an `import { parse } from 'yaml'` at the top of a module costs nothing until parse is
// called. Then each group is bundled once, with every package of the group that the bundle asked for.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Which vendor file a package goes to. The SDK's clients share one (one copy of @smithy between them); reading
 *  the shared config files and the environment's keys (every local invoke asks for the function's credentials) and
 *  the event-stream codec (streamed invokes) are small files of their own, so a local run never parses the clients. */
export function vendorGroup(specifier) {
  if (specifier === '@smithy/core/config' || specifier === '@aws-sdk/credential-provider-env') return 'aws-config';
  if (specifier === '@smithy/core/event-streams') return 'aws-event-streams';
  if (/^@(aws-sdk|smithy|aws-crypto)\//.test(specifier)) return 'aws-sdk';
  if (specifier === 'yaml' || specifier === 'jsonc-parser' || specifier === 'jose') return specifier;
  return undefined;
}

const fromOurCode = (importer) => !/[/\\]node_modules[/\\]/.test(importer);

/** The plugin for the CLI's bundle; `used` collects, per group, the specifiers it imported. */
export function vendorSplit(used) {
  return {
    name: 'vendor-split',
    setup(build) {
      build.onResolve({ filter: /^[@a-z]/ }, (args) => {
        const group = vendorGroup(args.path);
        if (!group || !fromOurCode(args.importer)) return undefined;
        if (!used.has(group)) used.set(group, new Set());
        used.get(group).add(args.path);
        return { path: args.path, namespace: 'vendor-shim', pluginData: group };
      });
      build.onLoad({ filter: /.*/, namespace: 'vendor-shim' }, (args) => {
        const group = vendorGroup(args.path);
        // The names are known at build time (the package is installed here), so each can be a getter of its own.
        const names = Object.keys(require(args.path)).filter((name) => name !== 'default' && name !== '__esModule');
        const contents = [
          'let loaded;',
          // A plain require with a literal path outside the bundle: esbuild leaves it as it is (the file is external).
          `const load = () => loaded ??= require(${JSON.stringify(`./vendor/${group}.js`)})[${JSON.stringify(args.path)}];`,
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
