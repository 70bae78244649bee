// Bundles our code and its dependencies into ESM files: loading hundreds of small files from node_modules made start-up
// ~27x a bare `node -e 0`. Lazily imported parts (each command, the Cloud Run and logs clients) stay in chunks of
// their own, so the first frame reads only what it uses.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { bundleOptions } from './bundle-options.mjs';

await build({
  ...bundleOptions,
  // Splitting keeps the Node-version check in cli.js ahead of any dependency import, and each lazily imported part
  // in chunks of its own.
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

// Runnable as ./dist/cli.js and through npm's bin link.
chmodSync('dist/cli.js', 0o755);
