import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureDebianPackages, startBalancer, type Balancer } from "./haproxy";
import { root } from "./standalone-server";
import { defined } from "../../support/defined";

/**
 * A three-node Patroni cluster on loopback ports (Patroni 3.0.2, etcd 3.4 and
 * HAProxy 2.6 from Debian's packages), configured from the repository's own
 * files: deploy/patroni/patroni.yml for each node and
 * deploy/haproxy/patroni.cfg for the balancer that routes to the leader. It
 * runs as the `postgres` user (PostgreSQL refuses root). `killNode` loses a
 * machine: Patroni, the postmaster and its children, all with SIGKILL.
 */
export type PatroniNode = { name: string; restPort: number; pgPort: number; dataDir: string; patroni: ChildProcess };
export type PatroniCluster = {
  nodes: PatroniNode[];
  databaseUrl: (database: string) => string;
  balancer: Balancer;
  leader: () => Promise<PatroniNode | undefined>;
  killNode: (node: PatroniNode) => void;
  stop: () => Promise<void>;
};

type Ports = { etcdClient: number; etcdPeer: number; rest: number[]; pg: number[]; balancer: number };

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for \${${name}}`);
    return values[name];
  });
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** The pids whose parent is `pid`, read from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return children;
}

async function clusterState(
  restPort: number,
): Promise<{ members: { name: string; role: string; state: string }[] } | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${restPort}/cluster`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as { members: { name: string; role: string; state: string }[] }) : undefined;
  } catch {
    return undefined;
  }
}

function killPostmaster(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  try {
    process.kill(Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]), "SIGKILL");
  } catch {
    /* gone */
  }
}

/** Waits until three members run, one the leader and one its synchronous standby. */
async function waitForSyncCluster(restPort: number, base: string): Promise<void> {
  const until = Date.now() + 120_000;
  for (;;) {
    const state = await clusterState(restPort);
    const running = state?.members.filter((m) => m.state === "running" || m.state === "streaming") ?? [];
    if (
      running.length === 3 &&
      defined(state).members.some((m) => m.role === "leader") &&
      defined(state).members.some((m) => m.role === "sync_standby")
    )
      return;
    if (Date.now() > until)
      throw new Error(`the Patroni cluster did not form: ${JSON.stringify(state)}; logs in ${base}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function waitUntilRoutedToPrimary(port: number): Promise<void> {
  const until = Date.now() + 30_000;
  let primaryInARow = 0;
  while (primaryInARow < 6) {
    if (Date.now() > until) throw new Error(`HAProxy on ${port} did not route to the primary`);
    const client = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
      connectionTimeoutMillis: 2000,
    });
    client.on("error", () => {});
    try {
      await client.connect();
      const { rows } = await client.query<{ recovery: boolean }>("SELECT pg_is_in_recovery() AS recovery");
      primaryInARow = rows[0].recovery ? 0 : primaryInARow + 1;
    } catch {
      primaryInARow = 0;
    } finally {
      await client.end().catch(() => {});
    }
    if (primaryInARow === 0) await new Promise((r) => setTimeout(r, 300));
  }
}

export async function startPatroniCluster(ports: Ports): Promise<PatroniCluster> {
  ensureDebianPackages(["patroni", "etcd-server", "haproxy"], ["patroni", "etcd", "haproxy"]);
  if (process.getuid?.() !== 0)
    throw new Error("The Patroni test runs PostgreSQL as the postgres user: run it as root (CI does).");
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "gh-patroni-"));
  const { uid, gid } = postgresUser();
  fs.chownSync(base, uid, gid);
  const etcd = spawn(
    "etcd",
    [
      "--name",
      "e1",
      "--data-dir",
      path.join(base, "etcd"),
      "--listen-client-urls",
      `http://127.0.0.1:${ports.etcdClient}`,
      "--advertise-client-urls",
      `http://127.0.0.1:${ports.etcdClient}`,
      "--listen-peer-urls",
      `http://127.0.0.1:${ports.etcdPeer}`,
      "--initial-advertise-peer-urls",
      `http://127.0.0.1:${ports.etcdPeer}`,
      "--initial-cluster",
      `e1=http://127.0.0.1:${ports.etcdPeer}`,
      "--log-level",
      "error",
    ],
    { stdio: "ignore" },
  );
  const template = fs.readFileSync(path.join(root, "deploy/patroni/patroni.yml"), "utf8");
  const nodes: PatroniNode[] = ports.rest.map((restPort, i) => {
    const name = `pg${i + 1}`;
    const config = path.join(base, `${name}.yml`);
    const dataDir = path.join(base, name);
    fs.writeFileSync(
      config,
      fill(template, {
        NAME: name,
        HOST: "127.0.0.1",
        REST_PORT: String(restPort),
        PG_PORT: String(ports.pg[i]),
        ETCD_HOSTS: `127.0.0.1:${ports.etcdClient}`,
        DATA_DIR: dataDir,
        PGPASS: path.join(base, `${name}.pgpass`),
        SUPERUSER_PASSWORD: "test-superuser",
        REPLICATION_PASSWORD: "test-replicator",
        REWIND_PASSWORD: "test-rewinder",
        CLIENT_NETWORK: "127.0.0.1/32",
        AUTH_METHOD: "trust",
      }),
    );
    fs.chownSync(config, uid, gid);
    const patroni = spawn("patroni", [config], {
      uid,
      gid,
      cwd: base,
      env: { PATH: process.env.PATH ?? "", HOME: base, LANG: "C.UTF-8", NODE_ENV: "production" },
      stdio: ["ignore", "ignore", fs.openSync(path.join(base, `${name}.log`), "a")],
    });
    return { name, restPort, pgPort: ports.pg[i], dataDir, patroni };
  });

  const abandon = () => {
    for (const n of nodes) n.patroni.kill("SIGKILL");
    etcd.kill("SIGKILL");
    for (const n of nodes) killPostmaster(n.dataDir);
  };
  try {
    await waitForSyncCluster(ports.rest[0], base);
  } catch (e) {
    abandon();
    throw e;
  }

  const servers = nodes.map((n) => `    server ${n.name} 127.0.0.1:${n.pgPort} check port ${n.restPort}`).join("\n");
  const haproxyCfg = fill(fs.readFileSync(path.join(root, "deploy/haproxy/patroni.cfg"), "utf8"), {
    BIND: `127.0.0.1:${ports.balancer}`,
    SERVERS: servers,
  });
  const balancer = await startBalancer(haproxyCfg, ports.balancer, "tcp").catch((e: unknown) => {
    abandon();
    throw e;
  });

  // HAProxy counts each server up until its checks say otherwise: wait until they have run and every
  // connection lands on the primary.
  try {
    await waitUntilRoutedToPrimary(ports.balancer);
  } catch (e) {
    await balancer.stop();
    abandon();
    throw e;
  }

  const leader = async () => {
    for (const n of nodes) {
      const state = await clusterState(n.restPort);
      const name = state?.members.find((m) => m.role === "leader")?.name;
      if (name) return nodes.find((x) => x.name === name);
    }
    return undefined;
  };
  const killNode = (node: PatroniNode) => {
    const postmaster = Number(fs.readFileSync(path.join(node.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const victims = [defined(node.patroni.pid), postmaster, ...childrenOf(postmaster)];
    for (const pid of victims) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  };
  const stop = async () => {
    await balancer.stop();
    const running = nodes.filter((n) => n.patroni.exitCode === null && n.patroni.signalCode === null);
    const exited = running.map((n) => new Promise((r) => n.patroni.once("exit", r)));
    for (const n of running) n.patroni.kill("SIGTERM");
    await Promise.all(exited);
    // Postgres of a killed node may outlive its Patroni: stop whatever still runs in the data folders.
    for (const n of nodes) killPostmaster(n.dataDir);
    etcd.kill("SIGKILL");
    fs.rmSync(base, { recursive: true, force: true });
  };
  return {
    nodes,
    balancer,
    leader,
    killNode,
    stop,
    databaseUrl: (database) => `postgres://postgres@127.0.0.1:${ports.balancer}/${database}`,
  };
}
