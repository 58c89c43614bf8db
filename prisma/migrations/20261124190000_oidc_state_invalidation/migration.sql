-- Every portal process keeps a short-lived cache of the OIDC state its hottest
-- endpoints read (a client's record at the token endpoint, an access token's
-- liveness at userinfo and on API calls). Any change to that state, whoever
-- makes it (a portal instance, the CLI, an operator in psql), notifies the
-- channel at commit, and every listening process drops its cache. Statement
-- level: one notification per statement, and Postgres folds identical ones
-- within a transaction. lib/db/invalidation-feed.ts listens.
CREATE OR REPLACE FUNCTION guildhall_notify_invalidation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('guildhall_invalidate', TG_TABLE_NAME);
  RETURN NULL;
END $$;

CREATE TRIGGER "OidcClient_invalidate" AFTER UPDATE OR DELETE ON "OidcClient" FOR EACH STATEMENT EXECUTE FUNCTION guildhall_notify_invalidation();
CREATE TRIGGER "OidcToken_invalidate" AFTER UPDATE OF "revokedAt" OR DELETE ON "OidcToken" FOR EACH STATEMENT EXECUTE FUNCTION guildhall_notify_invalidation();
CREATE TRIGGER "OidcGrant_invalidate" AFTER UPDATE OF "revokedAt" OR DELETE ON "OidcGrant" FOR EACH STATEMENT EXECUTE FUNCTION guildhall_notify_invalidation();
CREATE TRIGGER "User_invalidate" AFTER UPDATE OF "email", "name", "emailVerifiedAt", "disabledAt" OR DELETE ON "User" FOR EACH STATEMENT EXECUTE FUNCTION guildhall_notify_invalidation();
