import net from "node:net";

/** Whether a host name is this machine: localhost (and its subdomains) or a loopback address. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || isLoopbackAddress(h);
}

/** Whether an IP address is a loopback address: 127.0.0.0/8, ::1, or IPv4-mapped 127.x. */
export function isLoopbackAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const a = address.trim().toLowerCase();
  const v4 = a.startsWith("::ffff:") ? a.slice(7) : a;
  if (net.isIPv4(v4)) return v4.split(".")[0] === "127";
  return net.isIPv6(a) && (a === "::1" || a === "0:0:0:0:0:0:0:1");
}
