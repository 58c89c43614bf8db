-- DropIndex
DROP INDEX "AuditEvent_id_key";

-- AlterTable
ALTER TABLE "AuditEvent" DROP CONSTRAINT "AuditEvent_pkey",
ADD COLUMN     "queued" BIGSERIAL NOT NULL,
ALTER COLUMN "seq" DROP NOT NULL,
ALTER COLUMN "prevHash" DROP NOT NULL,
ALTER COLUMN "hash" DROP NOT NULL,
ADD CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_seq_key" ON "AuditEvent"("seq");

-- Hand-written (Prisma does not manage triggers): an event is appended with seq, prevHash and hash null, in the
-- act's own transaction, and the sequencer gives them once, after commit (lib/audit/sequence-audit-events.ts).
-- That one step is the only change the table allows: every other UPDATE, and any DELETE or TRUNCATE, still fails.
CREATE FUNCTION "audit_event_sequenced_once"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD."seq" IS NULL AND OLD."prevHash" IS NULL AND OLD."hash" IS NULL
     AND NEW."seq" IS NOT NULL AND NEW."prevHash" IS NOT NULL AND NEW."hash" IS NOT NULL
     AND (to_jsonb(NEW) - 'seq' - 'prevHash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prevHash' - 'hash') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'AuditEvent is append-only (but for sequencing once): % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER "AuditEvent_append_only" ON "AuditEvent";
CREATE TRIGGER "AuditEvent_append_only"
BEFORE UPDATE OR DELETE ON "AuditEvent"
FOR EACH ROW EXECUTE FUNCTION "audit_event_sequenced_once"();
