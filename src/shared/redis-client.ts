import type { Cluster, Redis } from 'ioredis';

/** A single Redis (or a Sentinel-less primary) or a Redis Cluster: every store takes either. */
export type RedisClient = Redis | Cluster;
