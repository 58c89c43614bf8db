-- The balance check also runs when postings are inserted, not only at commit.
-- Why: an error raised by a deferred trigger at COMMIT is swallowed by the
-- PGlite driver adapter (pglite-prisma-adapter 0.7.2 resolves the commit even
-- when it fails), so on the embedded engine a broken entry would roll back
-- silently while the caller believes it committed. Checking each INSERT
-- statement fails the statement itself, on both engines. Guildhall inserts all
-- postings of an entry in one statement, so each statement's postings must
-- balance per entry and currency and number two or more; the deferred trigger
-- stays for entries that got no posting at all.
CREATE OR REPLACE FUNCTION ledger_check_posting_entry_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad text;
BEGIN
  IF EXISTS (
    SELECT 1 FROM new_postings p JOIN "JournalEntry" e ON e."id" = p."entryId"
    WHERE e.xmin::text <> (txid_current() % 4294967296)::text
  ) THEN
    RAISE EXCEPTION 'postings can only be added to a journal entry in the transaction that creates it' USING ERRCODE = 'check_violation';
  END IF;
  SELECT "entryId" INTO bad FROM new_postings GROUP BY "entryId" HAVING count(*) < 2 LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'journal entry % has fewer than two postings', bad USING ERRCODE = 'check_violation';
  END IF;
  SELECT "entryId" || ' in ' || "currency" INTO bad FROM new_postings GROUP BY "entryId", "currency" HAVING sum("amountMinor") <> 0 LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'journal entry % does not sum to zero', bad USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
