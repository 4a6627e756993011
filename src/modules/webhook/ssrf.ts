// Where a webhook may go: https to a public address, unless WEBHOOK_ALLOW_PRIVATE. Checked when an endpoint is
// saved and again before each attempt, which then connects to the very address checked (no DNS rebinding).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // this network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 of any IPv4 address
  ['100::', 64], // discard
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv6');

/** Whether an address is loopback, private, link-local, metadata or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1], 'ipv4');
  return BLOCKED.check(address, 'ipv6');
}

/** A URL and the address its request must connect to. */
export interface Target {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class UnsafeUrl extends Error {
  /** The name did not resolve: no address to judge yet. */
  unresolved = false;
}

const unresolved = (host: string) =>
  Object.assign(new UnsafeUrl(`URL's host ${host} could not be resolved`), { unresolved: true });

/** Resolves a webhook URL to the address to connect to; UnsafeUrl says why it may not be used. */
export async function resolveTarget(raw: string, allowPrivate: boolean): Promise<Target> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrl('URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    throw new UnsafeUrl(allowPrivate ? 'URL must be http or https' : 'URL must use https');
  if (url.username || url.password) throw new UnsafeUrl('URL must not carry a user name or password');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw unresolved(host);
    }
  }
  if (addresses.length === 0) throw unresolved(host);
  if (!allowPrivate) {
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused)
      throw new UnsafeUrl(`URL must resolve to a public address (${host} is ${refused.address}, which is not public)`);
  }
  const { address, family } = addresses[0];
  return { url, address, family: family === 6 ? 6 : 4 };
}

/**
 * The problem with a URL an endpoint is being saved with, or undefined when it may be used. A name that does not
 * resolve yet is accepted (its DNS may come later); each attempt checks it again and fails while it does not.
 */
export async function urlProblem(raw: string, allowPrivate: boolean): Promise<string | undefined> {
  try {
    await resolveTarget(raw, allowPrivate);
    return undefined;
  } catch (error) {
    if (error instanceof UnsafeUrl) return error.unresolved ? undefined : error.message;
    throw error;
  }
}
