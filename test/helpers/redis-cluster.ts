import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { redisAnswers } from '../../src/shared/redis.ts';
import { freePorts, until } from './redis-process.ts';

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
    // A free port can be taken by another test file's process before redis-server binds it:
    // a node that exits at once is started again on other ports.
    for (let attempt = 1; !(await this.startNodes(masters)); attempt++) {
      await this.stopNodes();
      if (attempt === 5) throw new Error('the cluster nodes did not start (ports taken?)');
    }
    await run('redis-cli', ['--cluster', 'create', ...this.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    await until(async () => (await Promise.all(this.ports.map((p) => clusterState(p)))).every((s) => s === 'ok'), 'cluster_state:ok on every node', 45_000);
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
    const exited = () => this.children.some((c) => c.exitCode !== null || c.signalCode !== null);
    await until(async () => exited() || (await Promise.all(this.ports.map((p) => redisAnswers(`redis://127.0.0.1:${p}`, 200)))).every(Boolean), 'the cluster nodes to start');
    return !exited();
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
    await Promise.all(this.children.splice(0).map((child) => new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    })));
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
