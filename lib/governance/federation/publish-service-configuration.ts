import "server-only";
import { CompactSign } from "jose";
import { db, type Tx } from "@/lib/db/client";
import { canonicalJson } from "@/lib/crypto/canonical-json";
import { sha256Hex } from "@/lib/crypto/hash";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { getActiveSigningKey, type ActiveSigningKey } from "@/lib/keys/get-active-signing-key";
import { type Actor, auditActorOf } from "@/lib/access/actor";
import { assertPermitted } from "@/lib/access/permission";
import { advisoryLockIds, lockForTransaction } from "@/lib/db/advisory-locks";
import type { QuorumRule } from "@/lib/governance/federation/quorum-rule";
import { emitWebhookEvent } from "@/lib/webhooks/emit-webhook-event";
import { env } from "@/lib/config/env";
import {
  buildServiceConfiguration,
  type ConfigurationCause,
} from "@/lib/governance/federation/build-service-configuration";

export const SERVICE_CONFIGURATION_TYPE = "guildhall-service-configuration+jws";

/**
 * Signs and stores the next service configuration version with the trust
 * anchor's (federation) key. Called only in the transaction of what changes
 * it: a governance outcome (host admitted or removed, quorum changed, release
 * approved, release line opened) or the audited republish below. Each version
 * is an audit event holding the whole payload, so the audit chain is the
 * history of the configuration.
 */
export async function publishServiceConfiguration(
  tx: Tx,
  { key, actor, ...p }: { key: ActiveSigningKey; actor: Actor } & { cause: ConfigurationCause; quorum?: QuorumRule },
) {
  await lockForTransaction(tx, advisoryLockIds.serviceConfiguration);
  const last = await tx.serviceConfiguration.findFirst({ orderBy: { version: "desc" }, select: { version: true } });
  const version = (last?.version ?? 0) + 1;
  const payload = await buildServiceConfiguration(tx, { version, cause: p.cause, quorum: p.quorum });
  const body = canonicalJson(payload);
  const jws = await new CompactSign(new TextEncoder().encode(body))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: SERVICE_CONFIGURATION_TYPE })
    .sign(key.privateKey);
  const digest = sha256Hex(body);
  await tx.serviceConfiguration.create({ data: { version, jws, digest, cause: p.cause.kind } });
  await appendAuditEvent(tx, {
    actor,
    action: "service_configuration.published",
    subject: { type: "service_configuration", id: String(version) },
    state: payload,
    data: { version, digest, kid: key.kid, cause: p.cause },
  });
  await emitWebhookEvent(tx, {
    type: "configuration.changed",
    orgId: null,
    toHosts: true,
    data: {
      version,
      digest,
      cause: p.cause.kind,
      url: `${env().publicUrl}/.well-known/guildhall/service-configuration/${version}`,
    },
  });
  return { version, jws, digest, payload };
}

/** The newest configuration, signing the first one when none exists yet. */
export async function getServiceConfiguration() {
  const latest = await db().serviceConfiguration.findFirst({ orderBy: { version: "desc" } });
  if (latest) return latest;
  const key = await getActiveSigningKey("federation");
  await db().$transaction(async (tx) => {
    await lockForTransaction(tx, advisoryLockIds.serviceConfiguration);
    // Another instance may have signed the first one while this one waited.
    if (await tx.serviceConfiguration.count()) return;
    await publishServiceConfiguration(tx, {
      key,
      cause: { kind: "first_use" },
      actor: { type: "system", id: "first-use" },
    });
  });
  return db().serviceConfiguration.findFirstOrThrow({ orderBy: { version: "desc" } });
}

/** One past (or the current) version by number. */
export async function getServiceConfigurationVersionOrThrow(version: number) {
  const found = await db().serviceConfiguration.findUnique({ where: { version } });
  if (!found)
    throw new AppError("NOT_FOUND", {
      userMessage: `There is no service configuration version ${version}.`,
      reason: "NO_SUCH_VERSION",
    });
  return found;
}

/**
 * The admin act the rules allow: sign the current facts again as a new
 * version, with a written reason (after a key rotation, say, so that the
 * newest version is signed by the active key). It changes no fact. Only an
 * org admin (or the operator CLI) may.
 */
export async function republishServiceConfiguration({ reason, actor }: { reason: string; actor: Actor }) {
  const trimmed = reason.trim();
  if (trimmed.length < 3 || trimmed.length > 500)
    throw new AppError("VALIDATION_FAILED", {
      userMessage: "Give a reason of 3 to 500 characters.",
      reason: "NO_REASON",
    });
  const key = await getActiveSigningKey("federation");
  return db().$transaction(async (tx) => {
    await assertPermitted(tx, actor, { role: "ORG_ADMIN" });
    return publishServiceConfiguration(tx, {
      key,
      cause: { kind: "republished", reason: trimmed },
      actor: auditActorOf(actor),
    });
  });
}
