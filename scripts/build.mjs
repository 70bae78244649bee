// Bundles our own code into one ESM file; dependencies stay external so start-up reads only what it uses.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  // Splitting keeps the Node-version check in cli.js ahead of any dependency import.
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  jsx: 'automatic',
  sourcemap: true,
  banner: { js: '#!/usr/bin/env node' },
  define: { __NETRA_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
