import "server-only";
import { z } from "zod";

export const ACCOUNT_EXPORT_FORMAT = "guildhall-account-export";

const when = z.string().meta({ format: "date-time" });
const maybeWhen = when.nullable();
const b64u = z.string().meta({ description: "bytes, base64url without padding" });

/**
 * Everything Guildhall holds about one person, version 1 (docs/EXPORTS.md;
 * JSON Schema at /schemas/account-export-v1.json). Secrets never appear: no
 * session token, code, refresh token or API token, only what identifies them
 * (ids, prefixes, dates). Public keys do appear (a passkey's COSE key, the
 * key each ballot was verified with), since they are what makes the person's
 * signatures checkable elsewhere.
 */
export const accountExportSchema = z
  .object({
    format: z.literal(ACCOUNT_EXPORT_FORMAT),
    v: z.literal(1),
    $schema: z.string(),
    issuer: z.string(),
    exportedAt: when,
    profile: z.object({
      id: z.string(),
      email: z.string(),
      name: z.string().nullable(),
      emailVerifiedAt: maybeWhen,
      createdAt: when,
      lastLoginAt: maybeWhen,
      disabledAt: maybeWhen,
    }),
    roles: z.array(z.object({ role: z.string(), grantedAt: when, grantedBy: z.string().nullable() })),
    memberships: z.array(
      z.object({
        org: z.object({ id: z.string(), slug: z.string(), name: z.string(), kind: z.string() }),
        role: z.string(),
        createdAt: when,
      }),
    ),
    invitations: z.array(
      z.object({
        id: z.string(),
        orgId: z.string(),
        role: z.string(),
        createdAt: when,
        acceptedAt: maybeWhen,
        revokedAt: maybeWhen,
        expiresAt: when,
      }),
    ),
    passkeys: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        credentialId: b64u,
        publicKey: b64u.meta({ description: "COSE public key, base64url" }),
        counter: z.number(),
        transports: z.array(z.string()),
        deviceType: z.string(),
        backedUp: z.boolean(),
        createdAt: when,
        lastUsedAt: maybeWhen,
      }),
    ),
    sessions: z.array(
      z.object({
        id: z.string(),
        authMethod: z.string(),
        authTime: when,
        createdAt: when,
        lastSeenAt: when,
        expiresAt: when,
        userAgent: z.string().nullable(),
        ipAddress: z.string().nullable(),
      }),
    ),
    consents: z.array(
      z.object({
        id: z.string(),
        client: z.object({ id: z.string(), name: z.string().nullable() }),
        scopes: z.array(z.string()),
        createdAt: when,
        updatedAt: when,
        revokedAt: maybeWhen,
      }),
    ),
    tokens: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        clientId: z.string(),
        scopes: z.array(z.string()),
        createdAt: when,
        expiresAt: when,
        revokedAt: maybeWhen,
      }),
    ),
    appAccountTokens: z.array(z.object({ token: z.string(), clientId: z.string(), createdAt: when })),
    theaterApiTokens: z.array(
      z.object({
        id: z.string(),
        orgId: z.string(),
        name: z.string(),
        tokenPrefix: z.string(),
        createdAt: when,
        expiresAt: maybeWhen,
        lastUsedAt: maybeWhen,
        revokedAt: maybeWhen,
      }),
    ),
    ballots: z.array(
      z.object({
        id: z.string(),
        proposal: z.object({ id: z.string(), title: z.string(), kind: z.string() }),
        choice: z.number().int(),
        justification: z.string().nullable(),
        justificationHash: z.string(),
        castAt: when,
        proposalDigest: z.string(),
        challenge: z.string(),
        credentialId: z.string(),
        publicKey: b64u,
        authenticatorData: b64u,
        clientDataJSON: b64u,
        signature: b64u,
        signCount: z.number(),
      }),
    ),
    proposals: z.array(
      z.object({ id: z.string(), title: z.string(), kind: z.string(), status: z.string(), createdAt: when }),
    ),
    purchases: z.object({
      receipts: z.array(z.string().meta({ description: "compact JWS, docs/RECEIPTS.md" })),
      orders: z.array(
        z.object({
          id: z.string(),
          productKind: z.string(),
          theaterOrgId: z.string(),
          description: z.string(),
          amountMinor: z.number().int(),
          currency: z.string(),
          status: z.string(),
          refundedMinor: z.number().int(),
          createdAt: when,
          paidAt: maybeWhen,
        }),
      ),
      storeTransactions: z.array(
        z.object({
          store: z.string(),
          transactionId: z.string(),
          productId: z.string(),
          orderId: z.string(),
          status: z.string(),
          purchasedAt: when,
          expiresAt: maybeWhen,
        }),
      ),
    }),
    fundings: z.array(
      z.object({
        id: z.string(),
        target: z.object({
          kind: z.enum(["release_line", "host"]),
          id: z.string(),
          name: z.string().nullable(),
        }),
        interval: z.enum(["once", "month"]),
        amountMinor: z.number().int().meta({ description: "each payment's amount, in minor units of currency" }),
        currency: z.string(),
        provider: z.string(),
        status: z.string().meta({ description: "pending | active | past_due | canceling | canceled | paid" }),
        namedPublicly: z.boolean().meta({ description: "whether the line's public page shows publicName" }),
        publicName: z.string().nullable(),
        paidMinor: z.number().int(),
        refundedMinor: z.number().int().meta({ description: "refunded or disputed (and not won back) of paidMinor" }),
        paidThrough: maybeWhen,
        createdAt: when,
        canceledAt: maybeWhen,
        cancelReason: z.string().nullable(),
      }),
    ),
    mail: z.array(
      z.object({ id: z.string(), template: z.string(), createdAt: when, sentAt: maybeWhen, contentKept: z.boolean() }),
    ),
    auditEntries: z.array(
      z.object({
        seq: z.string(),
        logIndex: z.number().int(),
        id: z.string(),
        occurredAt: when,
        action: z.string(),
        role: z.enum(["actor", "subject", "both"]),
        actor: z.object({ type: z.string(), id: z.string().nullable() }),
        subject: z.object({ type: z.string(), id: z.string() }),
        data: z.unknown(),
        openings: z
          .array(z.object({ path: z.string(), salt: b64u, value: z.string() }))
          .meta({ description: "What the public log entry commits to about you, with the salts that open it" }),
      }),
    ),
  })
  .strict();

export type AccountExport = z.infer<typeof accountExportSchema>;
