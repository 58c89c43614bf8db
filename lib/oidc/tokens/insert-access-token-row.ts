import "server-only";
import type { Tx } from "@/lib/db/client";
import { preparedQuery } from "@/lib/db/prepared-query";

/** An access token's row, as issue-access-token.ts writes it. Timestamps as UTC ISO strings. */
export type AccessTokenRow = {
  id: string;
  clientId: string;
  userId: string | null;
  grantId: string | null;
  familyId: string | null;
  sid: string | null;
  scopes: string[];
  authTime: string | null;
  authMethod: string | null;
  /** RFC 9449: the thumbprint of the key a DPoP-bound token is bound to; null for a bearer token. */
  dpopJkt: string | null;
  expiresAt: string;
};

// One statement for any number of rows: each column comes as one array and
// unnest() zips them. Scopes are a list per row, which a Postgres array of
// arrays cannot hold when the lists differ in length, so each list goes
// space-joined (scope tokens never contain a space, RFC 6749 §3.3).
// Timestamps go as UTC ISO strings, which Postgres stores as given in a
// timestamp column, as Prisma does. Raw SQL: through Prisma's query builder
// the same row cost several times the CPU on the token endpoint's hot path.
const insertRowsSql = (from: string) => `
  INSERT INTO "OidcToken" ("id", "kind", "clientId", "userId", "grantId", "familyId", "sid", "scopes", "authTime", "authMethod", "dpopJkt", "expiresAt")
  SELECT r.id, 'access', r."clientId", r."userId", r."grantId", r."familyId", r.sid,
         CASE WHEN r.scopes = '' THEN '{}'::text[] ELSE string_to_array(r.scopes, ' ') END,
         r."authTime", r."authMethod", r."dpopJkt", r."expiresAt"
  FROM ${from}unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamp[], $9::text[], $10::text[], $11::timestamp[])
       AS r(id, "clientId", "userId", "grantId", "familyId", sid, scopes, "authTime", "authMethod", "dpopJkt", "expiresAt")`;

// A token issued on its own (client credentials) commits without waiting for
// the WAL flush: if the database crashed in that instant, the token would
// merely be unknown and refused, and the client would ask again. Refresh
// tokens, codes and the audit chain keep full durability. One statement is
// its own transaction, and set_config(..., true) lasts until its commit, so
// this is one round trip instead of BEGIN / SET LOCAL / INSERT / COMMIT.
const INSERT_ROWS_ASYNC_COMMIT_SQL = `WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true)) ${insertRowsSql("async_commit, ")}`;
const INSERT_ROWS_SQL = insertRowsSql("");

type Waiting = { row: AccessTokenRow; done: (err?: unknown) => void };

const queue: { waiting: Waiting[]; flushing: boolean } = { waiting: [], flushing: false };

/** The statements' eleven parameters: one array per column. */
function columnsOf(rows: AccessTokenRow[]): unknown[] {
  const column = <K extends keyof AccessTokenRow>(k: K) => rows.map((r) => r[k]);
  return [
    column("id"),
    column("clientId"),
    column("userId"),
    column("grantId"),
    column("familyId"),
    column("sid"),
    rows.map((r) => r.scopes.join(" ")),
    column("authTime"),
    column("authMethod"),
    column("dpopJkt"),
    column("expiresAt"),
  ];
}

function insertRows(rows: AccessTokenRow[]): Promise<unknown> {
  return preparedQuery("oidc_insert_access_tokens_v2", INSERT_ROWS_ASYNC_COMMIT_SQL, columnsOf(rows));
}

async function insertBatch(batch: Waiting[]): Promise<void> {
  try {
    await insertRows(batch.map((w) => w.row));
    for (const w of batch) w.done();
  } catch (err) {
    if (batch.length === 1) return batch[0].done(err);
    // One bad row (its client deleted meanwhile, say) must fail only its own request: retry each alone.
    await Promise.all(
      batch.map((w) =>
        insertRows([w.row]).then(
          () => w.done(),
          (e) => w.done(e),
        ),
      ),
    );
  }
}

/** One batch in flight at a time; what arrives meanwhile is the next batch, sent as soon as this one returns. */
async function flush(): Promise<void> {
  queue.flushing = true;
  try {
    while (queue.waiting.length > 0) {
      // Let the rows whose requests are already under way in this turn of the event loop join.
      await new Promise((resolve) => setImmediate(resolve));
      const batch = queue.waiting;
      queue.waiting = [];
      await insertBatch(batch);
    }
  } finally {
    queue.flushing = false;
  }
}

/**
 * Writes a stand-alone access token's row (client credentials), resolving
 * once it is committed: a group commit. The rows that arrive while one
 * batch is being written go together in the next statement, so under load
 * the token endpoint pays one round trip, and Postgres one transaction, for
 * many tokens instead of one each; when idle, a row leaves at the end of the
 * current turn of the event loop, so nobody waits for company.
 */
export function insertAccessTokenRow(row: AccessTokenRow): Promise<void> {
  return new Promise((resolve, reject) => {
    queue.waiting.push({ row, done: (err) => (err === undefined ? resolve() : reject(err)) });
    if (queue.waiting.length === 1 && !queue.flushing) void flush();
  });
}

/** Writes an access token's row as part of the caller's transaction (a user's tokens, issued with their grant), fully durable. */
export async function insertAccessTokenRowIn(tx: Tx, row: AccessTokenRow): Promise<void> {
  await tx.$executeRawUnsafe(INSERT_ROWS_SQL, ...columnsOf([row]));
}
