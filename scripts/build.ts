import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * `npm run build` (and so `npm start`): src/ compiled to dist/. It compiles into a folder of its
 * own and then swaps it in, so a service already running from dist/ (or a worker process it is
 * starting again) never finds dist/ half-written or gone.
 */
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const next = `dist.next-${process.pid}`;
const old = `dist.old-${process.pid}`;
try {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', next], { stdio: 'inherit' });
} catch {
  rmSync(next, { recursive: true, force: true });
  process.exit(1);
}
try {
  renameSync('dist', old);
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // the first build: no dist/ yet
}
renameSync(next, 'dist');
rmSync(old, { recursive: true, force: true });
