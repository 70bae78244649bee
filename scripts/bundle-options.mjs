// The esbuild options the console is bundled with (scripts/build.mjs), shared with the bench's floor program
// (bench/support/floor.ts), which must be built exactly as the console is to be a fair floor.
import { readFileSync } from 'node:fs';
import { patchSources } from './source-patches.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Left in node_modules and loaded at run time (only through the lazy imports of the sandbox and the Cloud clients):
// the Google clients read .proto/.json files relative to their own directories (google-gax's build/protos, the
// clients' protos) and are never on the console's first frame. react-devtools-core is ink's optional devtools (DEV=true),
// not installed.
const external = ['google-gax', '@google-cloud/*', '@grpc/*', 'google-auth-library', 'react-devtools-core'];

/**
 * dockerode and docker-modem are bundled, except three files that read files beside them or load native/optional
 * modules: dockerode's session.js (loads proto/auth.proto via __dirname; @grpc/grpc-js and dockerode's own
 * @grpc/proto-loader) and buildkit.js (proto/buildkit_status.proto), and docker-modem's ssh.js (ssh2, with its native
 * sshcrypto binding and the optional cpu-features). Those stay external, resolved from node_modules as before, and the
 * two that dockerode/docker-modem require at load time are required on first use instead (source-patches.mjs), so a start
 * that never builds with registry auth or dials ssh:// loads none of grpc-js, protobufjs or ssh2.
 */
const keepInPlace = [
  { importer: /[\\/]node_modules[\\/]dockerode[\\/]lib[\\/][^\\/]+\.js$/, path: /^\.\/(session|buildkit)$/, as: 'dockerode/lib/' },
  { importer: /[\\/]node_modules[\\/]docker-modem[\\/]lib[\\/][^\\/]+\.js$/, path: /^\.\/ssh$/, as: 'docker-modem/lib/' },
];
const dockerFilesInPlace = {
  name: 'docker-files-in-place',
  setup(b) {
    b.onResolve({ filter: /^\.\/(session|buildkit|ssh)$/ }, (args) => {
      const rule = keepInPlace.find((r) => r.importer.test(args.importer) && r.path.test(args.path));
      return rule ? { path: rule.as + args.path.slice(2), external: true } : undefined;
    });
  },
};

// Node's compile cache (Node >= 22.1) keeps the compiled bundle between starts. Prepended on the entry's first line so
// the source map still lines up; a no-op on Nodes without it (cli.ts then reports the version itself).
const compileCache = {
  name: 'compile-cache',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]cli\.ts$/ }, (args) => ({
      contents: `import __netraModule from 'node:module'; __netraModule.enableCompileCache?.(); ${readFileSync(args.path, 'utf8')}`,
      loader: 'ts',
    }));
  },
};

/** Everything but the entry and where it goes. */
export const bundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external,
  plugins: [dockerFilesInPlace, patchSources, compileCache],
  // React, react-reconciler and scheduler pick their production build by NODE_ENV; cli.ts always runs the production
  // one, so the bundle carries only that (its run-time assignment stays for anything else reading NODE_ENV).
  define: { __NETRA_VERSION__: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' },
  logOverride: { 'assign-to-define': 'silent' },
  jsx: 'automatic',
  sourcemap: true,
  // A log flood makes short-lived garbage; without a cap V8 lets the heap grow to ~400 MB before collecting.
  // These caps keep the console under ~200 MB at 10,000 lines/s with the default 10,000-line buffer. With glibc's
  // default of 8 malloc arenas per core, RSS crept up ~1.5 MiB a minute under a flood while the heap stayed flat;
  // two arenas keep it flat.
  // Bundled CommonJS code calls require() for Node built-ins and the externals above; an ES module has none, so each
  // file makes one.
  banner: {
    js: [
      '#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-old-space-size=192 --max-semi-space-size=8',
      "import { createRequire as __netraCreateRequire } from 'node:module';",
      'const require = __netraCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  logLevel: 'warning',
};
