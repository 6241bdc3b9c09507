#!/usr/bin/env node
// Entry point for `npx parapet`. Node 24 runs the TypeScript sources directly (type stripping),
// so a checkout needs no build step. Older Node cannot, so say so instead of a syntax error.
const [major = 0] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `parapet: Node.js ${process.versions.node} is too old; Parapet needs Node.js 24.\n` +
      `In a checkout, 'npm ci' installs Node 24 on Linux x64: run 'npx parapet ...' or 'npm start'.\n`,
  );
  process.exit(1);
}
// glibc gives every thread that allocates an arena of its own and keeps the pages each has freed;
// for the long-running gateway two arenas take about 13 MB off the resident set (docs/gateway.md).
// glibc reads the variable only when a process starts, so `serve` on Linux starts itself again,
// in place (execve: same process id, same file descriptors), with it set. A value already set wins.
if (
  process.argv[2] === 'serve' &&
  process.platform === 'linux' &&
  process.env.MALLOC_ARENA_MAX === undefined
) {
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    ...process.env,
    MALLOC_ARENA_MAX: '2',
  });
}
// Node keeps the type-stripped sources (and V8's code cache) on disk, keyed by content, Node version
// and flags, so later starts never load its TypeScript stripper: about 28 MB less resident memory
// for a long-running gateway (docs/gateway.md). NODE_COMPILE_CACHE picks the directory; otherwise
// it is in the OS temp directory.
const { enableCompileCache } = await import('node:module');
enableCompileCache();
await import('../src/cli/main.ts');
