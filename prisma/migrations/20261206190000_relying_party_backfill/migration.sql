-- The relying parties of before their history was kept (docs/GOVERNANCE.md, "Which relying party a ballot is
-- checked for"). The first period recorded (since 1970: a guess) stands for all time before it, so at a Guildhall
-- whose public URL had changed before then, the ballots signed under the older URL were checked for the wrong
-- relying party and failed. Each ballot says, under its passkey's signature, where it was signed: the origin in
-- its client data, and the SHA-256 of the relying party's id in its authenticator data. From them this fills in
-- the guessed span: each origin from the first ballot signed for it (the move itself was recorded nowhere; it lies
-- between the last ballot of the old origin and the first of the new), the earliest one from always; the first
-- recorded period then starts where its own origin's ballots begin, or when it was recorded if the last ballots
-- before it were signed elsewhere. A ballot whose origin's host does not hash to its relying party's id tells
-- nothing and is passed over. A fork whose database holds no period at all is left to its origins' periods
-- (ForkOrigin), as before.
DO $$
DECLARE
  first_row "RelyingPartyPeriod"%ROWTYPE;
  horizon TIMESTAMP(3);
  run RECORD;
  runs INT := 0;
  last_id INT;
  last_origin TEXT;
  last_rp_id TEXT;
  last_since TIMESTAMP(3);
BEGIN
  SELECT * INTO first_row FROM "RelyingPartyPeriod" ORDER BY "since", "id" LIMIT 1;
  IF FOUND THEN
    -- Only the first period's span before it was recorded is a guess; a later period's start was recorded.
    IF first_row."since" <> TIMESTAMP '1970-01-01' THEN
      RETURN;
    END IF;
    horizon := least(
      first_row."recordedAt",
      (SELECT min("since") FROM "RelyingPartyPeriod" WHERE "id" <> first_row."id")
    );
  ELSIF EXISTS (SELECT 1 FROM "ForkOrigin") THEN
    RETURN;
  ELSE
    -- No period recorded yet (the portal has not started since they are): every ballot is from before.
    horizon := TIMESTAMP 'infinity';
  END IF;

  FOR run IN
    WITH signed AS (
      SELECT b."id", b."castAt",
             convert_from(b."clientDataJSON", 'UTF8')::jsonb ->> 'origin' AS origin,
             substring(b."authenticatorData" FROM 1 FOR 32) AS rp_hash
        FROM "Ballot" b
       WHERE b."castAt" < horizon
    ), known AS (
      SELECT "id", "castAt", origin, substring(origin FROM '^https?://([^/:]+)') AS rp_id, rp_hash FROM signed
    ), checked AS (
      SELECT * FROM known WHERE rp_id IS NOT NULL AND sha256(convert_to(rp_id, 'UTF8')) = rp_hash
    ), ordered AS (
      SELECT *, lag(origin) OVER (ORDER BY "castAt", "id") AS previous FROM checked
    )
    SELECT rp_id, origin, "castAt" FROM ordered WHERE previous IS DISTINCT FROM origin ORDER BY "castAt", "id"
  LOOP
    runs := runs + 1;
    last_origin := run.origin;
    last_rp_id := run.rp_id;
    last_since := CASE WHEN runs = 1 THEN TIMESTAMP '1970-01-01' ELSE run."castAt" END;
    INSERT INTO "RelyingPartyPeriod" ("rpId", "origin", "since")
    VALUES (run.rp_id, run.origin, last_since)
    RETURNING "id" INTO last_id;
  END LOOP;

  IF runs = 0 OR first_row."id" IS NULL THEN
    RETURN;
  END IF;
  IF last_origin = first_row."origin" AND last_rp_id = first_row."rpId" THEN
    -- The first recorded period continues the last run: one period, from that run's first ballot.
    DELETE FROM "RelyingPartyPeriod" WHERE "id" = last_id;
    UPDATE "RelyingPartyPeriod" SET "since" = last_since WHERE "id" = first_row."id";
  ELSE
    UPDATE "RelyingPartyPeriod" SET "since" = horizon WHERE "id" = first_row."id";
  END IF;
END $$;
