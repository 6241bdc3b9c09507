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
await import('../src/cli/main.ts');
