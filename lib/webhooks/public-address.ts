import { BlockList, isIP } from "node:net";
import dns from "node:dns";

/**
 * Where the portal posts webhooks: never into a private network, whatever a
 * subscriber's DNS says (SSRF). The ranges are those no public receiver has:
 * RFC 1918, loopback, link-local (the clouds' metadata service at
 * 169.254.169.254), carrier-grade NAT, benchmarking, multicast and reserved,
 * unspecified, unique-local and link-local IPv6, NAT64 (which reaches IPv4
 * inside); an IPv4-mapped IPv6 address is judged as its IPv4 one.
 */
const nonPublic = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  nonPublic.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
  ["2001:db8::", 32],
] as const)
  nonPublic.addSubnet(net, bits, "ipv6");

export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return nonPublic.check(mapped[1], "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return nonPublic.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** Receivers run in tests and on a laptop, named as loopback literally: allowed over plain http (the input's rule). */
const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
export function isLoopbackName(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname.toLowerCase());
}

export class NonPublicAddressError extends Error {
  constructor(hostname: string, address: string) {
    super(`${hostname} resolves to ${address}, an address of a private network`);
    this.name = "NonPublicAddressError";
  }
}

/**
 * A `lookup` for node:http(s) that refuses a name resolving to a non-public
 * address, at the moment of connecting: a name re-pointed after the
 * subscription was checked (DNS rebinding) reaches nothing inside either.
 */
export const publicOnlyLookup: typeof dns.lookup = ((
  hostname: string,
  options: dns.LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, "", 0);
    const refused = addresses.find((a) => isNonPublicAddress(a.address));
    if (refused) return callback(new NonPublicAddressError(hostname, refused.address), "", 0);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}) as typeof dns.lookup;

/**
 * The address a subscription's host name resolves to, when that is a private
 * network's (the subscription is refused), or null. A name that does not
 * resolve (yet) is not refused here: each delivery checks again when it
 * connects.
 */
export async function nonPublicAddressOf(
  hostname: string,
  resolve: (host: string) => Promise<dns.LookupAddress[]> = (host) => dns.promises.lookup(host, { all: true }),
  timeoutMs = 3_000,
): Promise<string | null> {
  if (isLoopbackName(hostname)) return null;
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) return isNonPublicAddress(host) ? host : null;
  const resolved = await Promise.race([
    resolve(host).catch(() => []),
    new Promise<dns.LookupAddress[]>((resolve) => setTimeout(() => resolve([]), timeoutMs).unref()),
  ]);
  return resolved.find((a) => isNonPublicAddress(a.address))?.address ?? null;
}
