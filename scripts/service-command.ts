import { readFileSync } from 'node:fs';

/**
 * The node arguments `npm start` runs the built service with (package.json's start script, flags
 * and all), so the tests and benchmarks that start it in a process of their own run the same.
 */
export function serviceNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const [node, ...args] = pkg.scripts.start.trim().split(/\s+/);
  if (node !== 'node' || !args.some((a) => a.endsWith('.js')))
    throw new Error(`package.json start script is not "node [flags] script.js": ${pkg.scripts.start}`);
  return args;
}
