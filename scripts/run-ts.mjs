// Runs a TypeScript entry (a benchmark) by bundling our own code with esbuild first; dependencies stay external.
import { build } from 'esbuild';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <file.ts>');
  process.exit(2);
}
const outfile = resolve('node_modules/.cache/netra-console', `${basename(entry, '.ts')}.mjs`);
await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', logLevel: 'warning' });
await import(pathToFileURL(outfile).href);
