#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// A larger young generation: parsing thousands of models allocates many short-lived objects,
// and the default size spends ~20% of a large compile in scavenges.
setFlagsFromString('--max-semi-space-size=64');

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('tsdbt is not built yet: run `npm install` (or `npm run build`) in the tsdbt folder.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
