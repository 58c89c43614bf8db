-- DropForeignKey
ALTER TABLE "LedgerPosting" DROP CONSTRAINT "LedgerPosting_accountId_currency_fkey";

-- DropForeignKey
ALTER TABLE "LedgerPosting" DROP CONSTRAINT "LedgerPosting_entryId_fkey";

-- ---------------------------------------------------------------- appended by hand
-- Cheaper invariant checks for bulk recording. Each INSERT statement of
-- postings is checked set-based: every entry's postings in the statement
-- balance per currency and number two or more; the entries exist and were
-- created in this transaction; the accounts exist in the posting's currency.
-- The deferred check per entry only has to catch an entry that got no
-- posting at all: one index probe.
CREATE OR REPLACE FUNCTION ledger_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "LedgerPosting" WHERE "entryId" = NEW."id" LIMIT 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'journal entry % has no postings; two or more are required', NEW."id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ledger_check_posting_entry_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  SELECT p."entryId" || ' in ' || p."currency" INTO bad FROM new_postings p GROUP BY p."entryId", p."currency" HAVING sum(p."amountMinor") <> 0 LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'journal entry % does not sum to zero', bad USING ERRCODE = 'check_violation';
  END IF;
  SELECT p."entryId" INTO bad FROM new_postings p GROUP BY p."entryId" HAVING count(*) < 2 LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'journal entry % has fewer than two postings', bad USING ERRCODE = 'check_violation';
  END IF;
  SELECT p."entryId" INTO bad FROM (SELECT DISTINCT "entryId" FROM new_postings) p
    LEFT JOIN "JournalEntry" e ON e."id" = p."entryId"
    WHERE e."id" IS NULL OR e.xmin::text <> (txid_current() % 4294967296)::text LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'postings can only be added to a journal entry made in the same transaction (entry %)', bad USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT p."accountId" INTO bad FROM (SELECT DISTINCT "accountId", "currency" FROM new_postings) p
    LEFT JOIN "LedgerAccount" a ON a."id" = p."accountId" AND a."currency" = p."currency"
    WHERE a."id" IS NULL LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'posting to unknown account % (or in another currency than the account)', bad USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
