// Bundles our own code into one ESM file; dependencies stay external so start-up reads only what it uses.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

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
  // A log flood makes short-lived garbage; without a cap V8 lets the heap grow to ~400 MB before collecting.
  // These caps keep the console under ~200 MB at 10,000 lines/s with the default 10,000-line buffer. With glibc's
  // default of 8 malloc arenas per core, RSS crept up ~1.5 MiB a minute under a flood while the heap stayed flat;
  // two arenas keep it flat.
  banner: { js: '#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-old-space-size=192 --max-semi-space-size=8' },
  define: { __NETRA_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

// Runnable as ./dist/cli.js and through npm's bin link.
chmodSync('dist/cli.js', 0o755);
