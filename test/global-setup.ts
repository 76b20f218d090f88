import { execFileSync } from 'node:child_process';

/** Builds dist/ once per run: the tests that start the service in a process of its own start what `npm start` runs. */
export default function setup(): void {
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
}
