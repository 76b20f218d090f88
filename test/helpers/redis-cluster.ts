import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { allAnswer, freePorts, startOnFreePorts, stopChild } from './redis-process.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);

/**
 * A Redis Cluster of the test's own: `masters` redis-server processes in cluster mode, joined
 * with `redis-cli --cluster create` (no replicas), torn down and deleted by stop().
 */
export class RedisCluster {
  private children: ChildProcess[] = [];
  ports: number[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), 'xiaoer-cluster-'));

  /** Seed nodes as REDIS_CLUSTER_NODES takes them. */
  get nodes(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  async start(masters = 3): Promise<void> {
    await startOnFreePorts(() => this.startNodes(masters), () => this.stopNodes(), 'the cluster nodes');
    await run('redis-cli', ['--cluster', 'create', ...this.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    await waitFor(async () => (await Promise.all(this.ports.map((p) => clusterState(p)))).every((s) => s === 'ok'), 45_000, 'cluster_state:ok on every node');
  }

  /** True once every node answers; false as soon as one has exited. */
  private async startNodes(masters: number): Promise<boolean> {
    const ports = await freePorts(masters * 2);
    this.ports = [];
    for (let i = 0; i < masters; i++) {
      // The bus port is set explicitly: the default (port + 10000) may not exist for a high free port.
      const [port, busPort] = [ports[2 * i]!, ports[2 * i + 1]!];
      this.ports.push(port);
      const args = ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
        '--cluster-config-file', `nodes-${port}.conf`, '--dir', this.dir, '--appendonly', 'yes', '--save', '', '--cluster-node-timeout', '5000'];
      this.children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    return allAnswer(this.children, this.ports);
  }

  /** Keys on each master whose name starts with `prefix:` (to show the data is spread out). */
  async keysPerNode(prefix: string): Promise<number[]> {
    return Promise.all(this.ports.map(async (port) => {
      const node = new Redis(port, '127.0.0.1');
      try {
        let [cursor, count] = ['0', 0];
        do {
          const [next, found] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          [cursor, count] = [next, count + found.length];
        } while (cursor !== '0');
        return count;
      } finally {
        node.disconnect();
      }
    }));
  }

  async stop(): Promise<void> {
    await this.stopNodes();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async stopNodes(): Promise<void> {
    await Promise.all(this.children.splice(0).map((child) => stopChild(child)));
  }
}

async function clusterState(port: number): Promise<string | undefined> {
  const node = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
  try {
    await node.connect();
    return /cluster_state:(\w+)/.exec(String(await node.call('CLUSTER', 'INFO')))?.[1];
  } catch {
    return undefined;
  } finally {
    node.disconnect();
  }
}
