import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { allAnswer, freePorts, startOnFreePorts, stopChild } from './redis-process.ts';
import { waitFor } from './wait.ts';

export const SENTINEL_NAME = 'xiaoer-test';

/**
 * A primary, one replica and one Sentinel (quorum 1) of the test's own, so a test can kill the
 * primary and watch Sentinel promote the replica.
 */
export class RedisSentinelSet {
  private readonly servers = new Map<number, ChildProcess>();
  private sentinelProcess: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'xiaoer-sentinel-'));
  ports = { primary: 0, replica: 0, sentinel: 0 };

  /** `sentinelPassword`: the Sentinel asks clients for it (requirepass in its config). */
  constructor(private readonly sentinelPassword?: string) {}

  /** REDIS_SENTINELS as the service takes it. */
  get sentinels(): string {
    return `127.0.0.1:${this.ports.sentinel}`;
  }

  async start(): Promise<void> {
    await startOnFreePorts(
      () => this.startProcesses(),
      () => this.stopProcesses(),
      'the Sentinel set',
    );
    await waitFor(() => this.replicaInSync(), 20_000, 'the replica to sync');
    // Sentinel learns of replicas from the primary's INFO (every 10 s): a primary killed before
    // that leaves it nobody to promote.
    await waitFor(
      async () => (await this.sentinelCall('SENTINEL', 'replicas', SENTINEL_NAME).catch(() => [])).length > 0,
      20_000,
      'Sentinel to see the replica',
    );
  }

  /** True once all three answer; false as soon as one has exited. */
  private async startProcesses(): Promise<boolean> {
    const [primary, replica, sentinel] = await freePorts(3);
    this.ports = { primary: primary!, replica: replica!, sentinel: sentinel! };
    this.startServer(primary!);
    this.startServer(replica!, ['--replicaof', '127.0.0.1', String(primary)]);
    const conf = join(this.dir, `sentinel-${sentinel}.conf`);
    writeFileSync(
      conf,
      [
        `port ${sentinel}`,
        'bind 127.0.0.1',
        `dir ${this.dir}`,
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primary} 1`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
        ...(this.sentinelPassword ? [`requirepass ${this.sentinelPassword}`] : []),
      ].join('\n') + '\n',
    );
    this.sentinelProcess = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    const sentinelUrl = this.sentinelPassword
      ? `redis://:${this.sentinelPassword}@127.0.0.1:${sentinel}`
      : sentinel!;
    return allAnswer([...this.servers.values(), this.sentinelProcess], [primary!, replica!, sentinelUrl]);
  }

  /** The port Sentinel currently names as primary. */
  async primaryPort(): Promise<number | undefined> {
    const answer = await this.sentinelCall('SENTINEL', 'get-master-addr-by-name', SENTINEL_NAME).catch(
      () => undefined,
    );
    return answer ? Number(answer[1]) : undefined;
  }

  private async sentinelCall(...args: string[]): Promise<unknown[]> {
    const s = new Redis(this.ports.sentinel, '127.0.0.1', {
      lazyConnect: true,
      retryStrategy: () => null,
      ...(this.sentinelPassword ? { password: this.sentinelPassword } : {}),
    });
    try {
      await s.connect();
      return (await s.call(args[0]!, ...args.slice(1))) as unknown[];
    } finally {
      s.disconnect();
    }
  }

  /** Kills the primary outright; resolves once Sentinel names the replica instead. */
  async failOver(): Promise<void> {
    const old = this.servers.get(this.ports.primary)!;
    await new Promise<void>((done) => {
      old.once('exit', () => done());
      old.kill('SIGKILL');
    });
    await waitFor(
      async () => (await this.primaryPort()) === this.ports.replica,
      30_000,
      'Sentinel to promote the replica',
    );
  }

  async stop(): Promise<void> {
    await this.stopProcesses();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async stopProcesses(): Promise<void> {
    const children = [...this.servers.values(), ...(this.sentinelProcess ? [this.sentinelProcess] : [])];
    this.servers.clear();
    this.sentinelProcess = undefined;
    for (const child of children) await stopChild(child);
  }

  private startServer(port: number, extra: string[] = []): void {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--appendonly',
      'yes',
      '--appendfilename',
      `aof-${port}.aof`,
      '--appenddirname',
      `aof-${port}`,
      '--save',
      '',
      ...extra,
    ];
    this.servers.set(port, spawn('redis-server', args, { stdio: 'ignore' }));
  }

  private async replicaInSync(): Promise<boolean> {
    const r = new Redis(this.ports.replica, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
    try {
      await r.connect();
      return /master_link_status:up/.test(await r.info('replication'));
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  }
}
