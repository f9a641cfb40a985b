import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * The guard for every request Outpost makes (webhooks, feed polling): only http(s), and never to this
 * machine, its networks or link-local/metadata addresses unless the administrator allows them by
 * name or range (OUTBOUND_ALLOW). The decision is made on the resolved addresses, and the caller must
 * connect to the address returned here (not resolve again), so DNS rebinding cannot slip past.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

export interface OutboundAllow {
  hosts: Set<string>;
  ranges: BlockList;
}

/** OUTBOUND_ALLOW: comma-separated host names and CIDR ranges, e.g. `siem.hq.internal,10.20.0.0/16`. */
export function parseOutboundAllow(raw: string | undefined): OutboundAllow {
  const hosts = new Set<string>();
  const ranges = new BlockList();
  for (const item of (raw ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    const [addr, prefix] = item.split('/');
    const family = addr ? isIP(addr) : 0;
    if (family && prefix !== undefined)
      ranges.addSubnet(addr as string, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
    else if (family) ranges.addAddress(addr as string, family === 4 ? 'ipv4' : 'ipv6');
    else hosts.add(item);
  }
  return { hosts, ranges };
}

export type OutboundDecision = { ok: true; url: URL; address: string; family: 4 | 6 } | { ok: false; reason: string };

function mappedV4(address: string): string | null {
  const m = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  return m?.[1] ?? null;
}

export function isBlockedAddress(address: string, allow: OutboundAllow): boolean {
  const v4 = mappedV4(address);
  const addr = v4 ?? address;
  const type = isIP(addr) === 4 ? 'ipv4' : 'ipv6';
  if (allow.ranges.check(addr, type)) return false;
  return BLOCKED.check(addr, type);
}

export async function checkOutbound(
  rawUrl: string,
  allow: OutboundAllow,
  lookup: (host: string) => Promise<{ address: string; family: number }[]> = (h) => dnsLookup(h, { all: true }),
): Promise<OutboundDecision> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: `scheme ${url.protocol} is not allowed (only http and https)` };
  if (url.username || url.password) return { ok: false, reason: 'credentials in the URL are not allowed' };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const hostAllowed = allow.hosts.has(host);
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host);
    } catch {
      return { ok: false, reason: `cannot resolve ${host}` };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: `cannot resolve ${host}` };
  // Every address must pass: a name that also points inside is refused.
  if (!hostAllowed) {
    const bad = addresses.find((a) => isBlockedAddress(a.address, allow));
    if (bad)
      return {
        ok: false,
        reason: `${host} resolves to ${bad.address}, a loopback, private or link-local address (allow it with OUTBOUND_ALLOW)`,
      };
  }
  const first = addresses[0] as { address: string; family: number };
  return { ok: true, url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
