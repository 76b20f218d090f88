/**
 * `npm run deps` (and so `npm run check`): one run of dependency-cruiser (`depcruise src -T json`,
 * on stdin). Fails on the rules' violations (.dependency-cruiser.cjs) and on any cycle between
 * folders: dependency-cruiser finds cycles between files, and here each file stands for its folder.
 * The adapters under src/channels/ count apart from src/channels/message.ts, which the core uses.
 */
import { readFileSync } from 'node:fs';

interface Cruise {
  modules: { source: string; dependencies: { resolved: string }[] }[];
  summary: {
    violations: { from: string; to: string; rule: { name: string; severity: string }; cycle?: unknown[] }[];
  };
}

/** A folder of src/; each channel's adapter (src/channels/<id>/) is a folder of its own beside the shared message types. */
const folderOf = (path: string) => /^src\/(channels\/[^/]+(?=\/)|[^/]+(?=\/))/.exec(path)?.[1];
const cruise = JSON.parse(readFileSync(0, 'utf8')) as Cruise;
const graph = new Map<string, Set<string>>();
for (const module of cruise.modules) {
  const from = folderOf(module.source);
  if (!from) continue;
  const targets = graph.get(from) ?? new Set<string>();
  graph.set(from, targets);
  for (const { resolved } of module.dependencies) {
    const to = folderOf(resolved);
    if (to && to !== from) targets.add(to);
  }
}

// Tarjan's strongly connected components: a component of more than one folder is a cycle.
let next = 0;
const index = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const cycles: string[][] = [];
function visit(folder: string): void {
  index.set(folder, next);
  low.set(folder, next);
  next += 1;
  stack.push(folder);
  for (const to of graph.get(folder) ?? []) {
    if (!index.has(to)) {
      visit(to);
      low.set(folder, Math.min(low.get(folder)!, low.get(to)!));
    } else if (stack.includes(to)) low.set(folder, Math.min(low.get(folder)!, index.get(to)!));
  }
  if (low.get(folder) !== index.get(folder)) return;
  const component: string[] = [];
  for (let top = stack.pop()!; ; top = stack.pop()!) {
    component.push(top);
    if (top === folder) break;
  }
  if (component.length > 1) cycles.push(component.sort());
}
for (const folder of graph.keys()) if (!index.has(folder)) visit(folder);

const errors = cruise.summary.violations.filter((v) => v.rule.severity === 'error');
for (const v of errors) console.error(`  error ${v.rule.name}: ${v.from} → ${v.to}`);
if (cycles.length) {
  for (const cycle of cycles) {
    const edges = cycle.flatMap((a) => cycle.filter((b) => graph.get(a)?.has(b)).map((b) => `${a} → ${b}`));
    console.error(`folders that depend on each other: ${cycle.join(', ')} (${edges.join('; ')})`);
  }
}
if (errors.length || cycles.length) process.exit(1);
console.log(
  `✔ no dependency violations in ${cruise.modules.length} modules, and no cycles between the ${graph.size} folders of src/`,
);
