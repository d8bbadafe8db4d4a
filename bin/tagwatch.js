#!/usr/bin/env node
// In a checkout the TypeScript sources run through tsx, so the CLI never runs a stale build;
// an installed package without src/ runs the compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
