// Style sheets the webview bundles import: esbuild turns them into the bundle's CSS file.
declare module '*.css';
