-- An audit event's place in the hash chain moves to an insert-only table of its own (docs/LOG.md, "One history"):
-- the sequencer inserts placements instead of updating each event's row (which rewrote the row and every index
-- entry of it), and finds the events still waiting by a transaction-id cut-off instead of a null seq.

-- CreateTable
CREATE TABLE "AuditPlacement" (
    "seq" BIGINT NOT NULL,
    "eventId" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "horizon" BIGINT NOT NULL,

    CONSTRAINT "AuditPlacement_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditPlacement_eventId_key" ON "AuditPlacement"("eventId");

-- AddForeignKey
ALTER TABLE "AuditPlacement" ADD CONSTRAINT "AuditPlacement_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AuditEvent"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Hand-written: the places already given move over as they are (a cut-off of 0: the first round looks at every
-- event, and places those still waiting).
INSERT INTO "AuditPlacement" ("seq", "eventId", "prevHash", "hash", "horizon")
  SELECT "seq", "id", "prevHash", "hash", 0 FROM "AuditEvent" WHERE "seq" IS NOT NULL;

-- Hand-written (Prisma does not manage triggers): AuditEvent is append-only again, with no exception for
-- sequencing; so is AuditPlacement. Any UPDATE, DELETE or TRUNCATE of either fails.
DROP TRIGGER "AuditEvent_append_only" ON "AuditEvent";
DROP FUNCTION "audit_event_sequenced_once"();
CREATE TRIGGER "AuditEvent_append_only"
BEFORE UPDATE OR DELETE ON "AuditEvent"
FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();

CREATE FUNCTION "audit_placement_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditPlacement is insert-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "AuditPlacement_append_only"
BEFORE UPDATE OR DELETE ON "AuditPlacement"
FOR EACH ROW EXECUTE FUNCTION "audit_placement_append_only"();

CREATE TRIGGER "AuditPlacement_no_truncate"
BEFORE TRUNCATE ON "AuditPlacement"
FOR EACH STATEMENT EXECUTE FUNCTION "audit_placement_append_only"();

-- DropIndex
DROP INDEX "AuditEvent_hash_key";

-- DropIndex
DROP INDEX "AuditEvent_seq_key";

-- AlterTable (every existing event takes this migration's transaction id: any still waiting is found)
ALTER TABLE "AuditEvent" DROP COLUMN "hash",
DROP COLUMN "prevHash",
DROP COLUMN "seq",
ADD COLUMN     "xact" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint;

-- CreateIndex
CREATE INDEX "AuditEvent_xact_idx" ON "AuditEvent"("xact");
