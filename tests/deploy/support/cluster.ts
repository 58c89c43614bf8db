import { haproxyConfig, startBalancer, type Balancer } from "./haproxy";
import { startStandalone, stopServer, waitForStatus, type StartedServer } from "./standalone-server";

/**
 * Several standalone portal instances on one PostgreSQL database behind
 * HAProxy, as compose.yaml runs them: the same secrets, PUBLIC_URL the
 * balancer's address, TRUST_PROXY_HOPS=1 behind it. Instances migrate at start
 * under the advisory lock, so they start together.
 */
export type Cluster = { balancer: Balancer; instances: StartedServer[]; url: string; stop: () => Promise<void> };

export async function startCluster(opts: {
  databaseUrl: string;
  balancerPort: number;
  instancePorts: number[];
  env?: Record<string, string>;
}): Promise<Cluster> {
  const url = `http://localhost:${opts.balancerPort}`;
  const instances = opts.instancePorts.map((port) =>
    startStandalone(port, {
      DATABASE_URL: opts.databaseUrl,
      PUBLIC_URL: url,
      TRUST_PROXY_HOPS: "1",
      LOG_LEVEL: "warn",
      ...opts.env,
    }),
  );
  try {
    await Promise.all(instances.map((i) => waitForStatus(`${i.url}/api/health/ready`, 200, 120_000, i)));
    const balancer = await startBalancer(
      haproxyConfig({
        port: opts.balancerPort,
        servers: instances.map((i, n) => ({ name: `portal${n + 1}`, port: i.port })),
      }),
      opts.balancerPort,
    );
    // HAProxy marks a server up after `rise` good checks: wait until both answer through it.
    await waitUntilServedBy(url, instances.length);
    return {
      balancer,
      instances,
      url,
      stop: async () => {
        await balancer.stop();
        await Promise.all(instances.map(stopServer));
      },
    };
  } catch (e) {
    await Promise.all(instances.map(stopServer));
    throw e;
  }
}

/** Polls the balancer until `count` different instances have answered. */
export async function waitUntilServedBy(url: string, count: number, timeoutMs = 30_000): Promise<void> {
  const seen = new Set<string>();
  const until = Date.now() + timeoutMs;
  while (seen.size < count) {
    if (Date.now() > until) throw new Error(`only ${[...seen].join(", ") || "no instance"} answered through ${url}`);
    const res = await fetch(`${url}/api/health/ready`).catch(() => undefined);
    const name = res?.headers.get("x-guildhall-instance");
    if (res?.ok && name) seen.add(name);
    else await new Promise((r) => setTimeout(r, 200));
  }
}
