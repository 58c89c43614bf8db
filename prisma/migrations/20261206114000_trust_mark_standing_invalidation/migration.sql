-- The trust mark status endpoint answers from a per-process cache of a host's
-- membership and a license's standing (lib/federation/trust-mark-standing.ts).
-- A host admitted or removed, a license activated, suspended, reinstated,
-- revoked or its end moved, whoever does it, notifies the same channel as the
-- OIDC state (20261124190000_oidc_state_invalidation), so every portal process
-- drops what it held and no revoked mark is reported active after that.
-- Only the License columns the standing is made of: its other updates (plan,
-- entitlements, updatedAt) leave every process's caches alone.
CREATE TRIGGER "FederationHost_invalidate" AFTER INSERT OR UPDATE OR DELETE ON "FederationHost" FOR EACH STATEMENT EXECUTE FUNCTION guildhall_notify_invalidation();
CREATE TRIGGER "License_invalidate" AFTER INSERT OR UPDATE OF "status", "validUntil", "theaterOrgId" OR DELETE ON "License" FOR EACH STATEMENT EXECUTE FUNCTION guildhall_notify_invalidation();
