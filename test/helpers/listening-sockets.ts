import { readdirSync, readlinkSync, readFileSync } from 'node:fs';

/**
 * The TCP sockets a process listens on (all its threads: they share its descriptors), as
 * `address:port`, read from Linux's /proc. /proc/<pid>/net/tcp lists the whole network
 * namespace, so the process's own are picked out by the socket inodes of its descriptors.
 */
export function listeningSockets(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // a descriptor closed while we looked
    }
  }
  const listening: string[] = [];
  for (const table of ['tcp', 'tcp6'] as const) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, state, inode] = [fields[1], fields[3], fields[9]];
      // 0A is TCP_LISTEN.
      if (local && state === '0A' && inode && inodes.has(inode)) listening.push(decodeAddress(local, table));
    }
  }
  return listening;
}

/** "0100007F:0BB8" → "127.0.0.1:3000"; IPv6 as four 32-bit words, each in host (little-endian) order. */
function decodeAddress(hex: string, table: 'tcp' | 'tcp6'): string {
  const [address = '', port = ''] = hex.split(':');
  const words = address.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => (word.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  const host = table === 'tcp' ? bytes.join('.') : ipv6(bytes);
  return `${host}:${parseInt(port, 16)}`;
}

function ipv6(bytes: number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return `[${groups.join(':')}]`;
}
