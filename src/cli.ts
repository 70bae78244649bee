// Entry point. Kept free of dependency imports so that an old Node gets a clear message, not a syntax error.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `netra-console: needs Node.js 22 or newer, this is ${process.versions.node}; run it with "npm start" (uses the pinned Node 24) or install Node 22+\n`,
  );
  process.exit(2);
}
// React's development build re-checks every render; the console always runs the production one.
process.env.NODE_ENV ??= 'production';
const { main } = await import('./cli/main');
process.exitCode = await main(process.argv.slice(2));
export {};
