import "server-only";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { PrismaClient, Prisma } from "@/lib/generated/prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "@/lib/config/env";
import { limits } from "@/lib/config/limits";
import { log } from "@/lib/log";
import { processSlot } from "@/lib/process-state";
import { embeddedDatabaseHolder } from "@/lib/db/embedded-database-holder";

export type Tx = Prisma.TransactionClient;
export { Prisma };

/**
 * One Prisma client per process, on one of two engines with the same schema:
 * the Postgres server named by DATABASE_URL, or the embedded PGlite database in
 * DATA_DIR/pglite. The embedded one can be opened by one process at a time;
 * a lock file says which, so the CLI refuses instead of corrupting it.
 */
export type Engine =
  | { kind: "postgres"; client: PrismaClient; url: string; pool: pg.Pool }
  | { kind: "pglite"; client: PrismaClient; pglite: PGlite };

const engineSlot = processSlot<Engine>("databaseEngine");

/** Marks the embedded database in `dir` as this process's, refusing while another live process has it. */
export function claimEmbeddedLock(dir: string): void {
  const lockFile = path.join(dir, "guildhall.pid");
  const holder = embeddedDatabaseHolder(dir);
  if (holder) {
    throw new Error(
      `The embedded database in ${dir} is open in process ${holder} (probably the running portal). ` +
        "Stop it first, or point DATABASE_URL at a Postgres server to share one database.",
    );
  }
  fs.writeFileSync(lockFile, String(process.pid));
  const release = () => {
    try {
      if (fs.readFileSync(lockFile, "utf8") === String(process.pid)) fs.unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  };
  process.once("exit", release);
}

const transactionOptions = { maxWait: limits.transaction.maxWaitMs, timeout: limits.transaction.timeoutMs };

function openEngine(): Engine {
  const { databaseUrl, dataDir } = env();
  if (databaseUrl) {
    // Our own pool, shared with Prisma, so lib/db/prepared-query.ts can run
    // the hottest reads as prepared statements on the same connections.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
    // An idle connection the server ends (a restart, a failover, an administrator) makes the pool emit
    // "error"; without a listener Node would end the process. The pool replaces it on the next query.
    pool.on("error", (err) => log.warn({ err: err.message }, "idle database connection lost"));
    // The pool listens only while a connection is idle. One checked out and between queries (a background
    // task's advisory-lock connection, held for the whole task) that the server ends would emit "error"
    // unheard and end the process; each connection gets a listener of its own, and its holder learns of the
    // loss at its next query.
    pool.on("connect", (connection) =>
      connection.on("error", (err) => log.warn({ err: err.message }, "database connection lost while in use")),
    );
    return {
      kind: "postgres",
      client: new PrismaClient({ adapter: new PrismaPg(pool), transactionOptions }),
      url: databaseUrl,
      pool,
    };
  }
  const dir = path.join(dataDir, "pglite");
  fs.mkdirSync(dir, { recursive: true });
  claimEmbeddedLock(dataDir);
  const pglite = new PGlite(dir);
  return {
    kind: "pglite",
    client: new PrismaClient({ adapter: new PrismaPGlite(pglite), transactionOptions }),
    pglite,
  };
}

/** The engine of this process, opened on first use (never at build time). */
export function engine(): Engine {
  return engineSlot.getOrInit(openEngine);
}

/** The Prisma client. Only lib/ and prisma/ may import this module. */
export function db(): PrismaClient {
  return engine().client;
}
