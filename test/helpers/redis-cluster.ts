import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { allAnswer, freePorts, startOnFreePorts, stopChild } from './redis-process.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);

export interface ClusterOptions {
  /** Replicas per master (default 0): a master that dies is replaced by its replica. */
  replicas?: number;
  /** `cluster-node-timeout` (default 5000): how long a node may be silent before it counts as failed. */
  nodeTimeoutMs?: number;
}

/**
 * A Redis Cluster of the test's own: `masters` redis-server processes in cluster mode (and
 * `replicas` per master), joined with `redis-cli --cluster create`, each with the append-only
 * file on, torn down and deleted by stop().
 */
export class RedisCluster {
  private children: ChildProcess[] = [];
  /** Every node, masters and replicas, in the order they were started. */
  ports: number[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), 'xiaoer-cluster-'));

  /** Seed nodes as REDIS_CLUSTER_NODES takes them. */
  get nodes(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  async start(masters = 3, options: ClusterOptions = {}): Promise<void> {
    const replicas = options.replicas ?? 0;
    const nodes = masters * (1 + replicas);
    await startOnFreePorts(
      () => this.startNodes(nodes, options.nodeTimeoutMs ?? 5000),
      () => this.stopNodes(),
      'the cluster nodes',
    );
    await run('redis-cli', [
      '--cluster',
      'create',
      ...this.ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    await waitFor(
      async () => (await Promise.all(this.ports.map((p) => clusterState(p)))).every((s) => s === 'ok'),
      45_000,
      'cluster_state:ok on every node',
    );
    // A replica that has never synced with its master can't take its place.
    if (replicas > 0)
      await waitFor(
        async () => (await Promise.all(this.ports.map((p) => replicaSynced(p)))).every(Boolean),
        45_000,
        'every replica in sync',
      );
  }

  /** True once every node answers; false as soon as one has exited. */
  private async startNodes(count: number, nodeTimeoutMs: number): Promise<boolean> {
    const ports = await freePorts(count * 2);
    this.ports = [];
    for (let i = 0; i < count; i++) {
      // The bus port is set explicitly: the default (port + 10000) may not exist for a high free port.
      const [port, busPort] = [ports[2 * i]!, ports[2 * i + 1]!];
      this.ports.push(port);
      const args = [
        '--port',
        String(port),
        '--cluster-port',
        String(busPort),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appenddirname',
        `appendonly-${port}`,
        '--save',
        '',
        '--cluster-node-timeout',
        String(nodeTimeoutMs),
        // A replica's first sync starts at once, not after Redis's default 5 s wait for others to join it.
        '--repl-diskless-sync-delay',
        '0',
      ];
      this.children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    return allAnswer(this.children, this.ports);
  }

  /** The append-only file of the node on `port`, as written so far (every write it acknowledged, even after a kill -9). */
  appendOnlyFile(port: number): string {
    const dir = join(this.dir, `appendonly-${port}`);
    return readdirSync(dir)
      .filter((file) => file.endsWith('.aof'))
      .map((file) => readFileSync(join(dir, file), 'latin1'))
      .join('');
  }

  /** `kill -9` of the node on `port` (it stays down; stop() skips it). */
  async kill(port: number): Promise<void> {
    const child = this.children[this.ports.indexOf(port)];
    if (!child) throw new Error(`no cluster node on port ${port}`);
    await stopChild(child, 'SIGKILL');
  }

  /**
   * The port of the master that serves `key`'s slot, as the live node on `askPort` sees it
   * (undefined while that node knows of no master for it, or a failover is not finished).
   */
  async masterOf(key: string, askPort: number): Promise<number | undefined> {
    const node = new Redis(askPort, '127.0.0.1', {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    try {
      await node.connect();
      const slot = Number(await node.call('CLUSTER', 'KEYSLOT', key));
      for (const line of String(await node.call('CLUSTER', 'NODES')).split('\n')) {
        // <id> <ip:port@bus[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges>…
        const [, address, flags, , , , , link, ...ranges] = line.split(' ');
        if (
          !address ||
          !flags?.split(',').includes('master') ||
          flags.includes('fail') ||
          link !== 'connected'
        )
          continue;
        const owns = ranges.some((range) => {
          const [from, to = from] = range.split('-').map(Number);
          return from! <= slot && slot <= to!;
        });
        if (owns) return Number(address.split('@')[0]!.split(':').at(-1));
      }
      return undefined;
    } finally {
      node.disconnect();
    }
  }

  /** Keys on each node (every one a master without replicas) whose name starts with `prefix:`, or matches `match` (to show the data is spread out). */
  async keysPerNode(prefix: string, match = `${prefix}:*`): Promise<number[]> {
    return Promise.all(
      this.ports.map(async (port) => {
        const node = new Redis(port, '127.0.0.1');
        try {
          let [cursor, count] = ['0', 0];
          do {
            const [next, found] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
            [cursor, count] = [next, count + found.length];
          } while (cursor !== '0');
          return count;
        } finally {
          node.disconnect();
        }
      }),
    );
  }

  async stop(): Promise<void> {
    await this.stopNodes();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async stopNodes(): Promise<void> {
    await Promise.all(this.children.splice(0).map((child) => stopChild(child)));
  }
}

/** True for a master, or for a replica whose link to its master is up (it has synced). */
async function replicaSynced(port: number): Promise<boolean> {
  const node = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
  try {
    await node.connect();
    const info = String(await node.call('INFO', 'replication'));
    return info.includes('role:master') || info.includes('master_link_status:up');
  } catch {
    return false;
  } finally {
    node.disconnect();
  }
}

export async function clusterState(port: number): Promise<string | undefined> {
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
