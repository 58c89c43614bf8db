-- A signing key made, retired or removed anywhere (a rotation by the CLI, by age on
-- another instance) drops every portal process's cached OIDC keys at once, through
-- the same channel as the OIDC state (20261124190000_oidc_state_invalidation):
-- otherwise an instance would keep signing with the old key, and serving a key set
-- without the new one, until its cache's TTL ran out.
CREATE TRIGGER "SigningKey_invalidate" AFTER INSERT OR UPDATE OR DELETE ON "SigningKey" FOR EACH STATEMENT EXECUTE FUNCTION guildhall_notify_invalidation();
