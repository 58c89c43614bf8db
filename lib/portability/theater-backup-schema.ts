import "server-only";
import { z } from "zod";

export const THEATER_BACKUP_FORMAT = "guildhall-theater-backup";
/** The version this Guildhall writes; it reads this one and version 1 (docs/EXPORTS.md). */
export const THEATER_BACKUP_VERSION = 2;
/** The JOSE `typ` of a backup's signature: no other Guildhall JWS passes as one. */
export const THEATER_BACKUP_TYP = "guildhall-theater-backup+jws";

const when = z.string().meta({ format: "date-time" });
const maybeWhen = when.nullable();
const minor = z.number().int();
const jwks = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

const certificateSchema = z.object({
  id: z.string(),
  issuerId: z.string(),
  serialHex: z.string(),
  keyAlgorithm: z.string(),
  keySha256: z.string(),
  certificatePem: z.string(),
  licenseDocument: z.string().meta({ description: "compact JWS signed by the origin's license key" }),
  notBefore: when,
  notAfter: when,
  status: z.string(),
  revokedAt: maybeWhen,
  revocationReason: z.string().nullable(),
  supersededAt: maybeWhen,
  createdAt: when,
});

const licenseSchema = z.object({
  id: z.string(),
  plan: z.object({
    id: z.string(),
    name: z.string(),
    termDays: z.number().int(),
    priceMinor: minor,
    currency: z.string(),
    entitlements: z.record(z.string(), z.unknown()),
  }),
  status: z.string(),
  entitlements: z.record(z.string(), z.unknown()),
  termDays: z.number().int(),
  validFrom: maybeWhen,
  validUntil: maybeWhen,
  statusReason: z.string().nullable(),
  createdById: z.string(),
  createdAt: when,
  orders: z.array(z.object({ orderId: z.string(), kind: z.string(), paidAt: when, validUntil: when, appliedAt: when })),
  certificates: z.array(certificateSchema),
});

const orderSchema = z.object({
  id: z.string(),
  productKind: z.string(),
  description: z.string(),
  lineItems: z.array(z.object({ name: z.string(), quantity: z.number().int(), unitAmountMinor: minor })),
  amountMinor: minor,
  currency: z.string(),
  fulfilmentKind: z.string(),
  fulfilment: z.record(z.string(), z.unknown()),
  status: z.string(),
  provider: z.string(),
  providerPaymentRef: z.string().nullable(),
  feeMinor: minor,
  refundedMinor: minor,
  disputedMinor: minor,
  saleEntryId: z.string().nullable(),
  policyVersionId: z.string().nullable(),
  createdByType: z.string(),
  createdAt: when,
  paidAt: maybeWhen,
  receipt: z.string().nullable().meta({ description: "the order's signed receipt (docs/RECEIPTS.md)" }),
});

/**
 * A theater's backup (docs/EXPORTS.md; JSON Schemas at
 * /schemas/theater-backup-v1.json and -v2.json, whose bodies differ only in
 * `v`): the theater's records, and the origin's public keys and CA chain that
 * every signature inside checks against. The whole `backup` member is signed
 * (see signature), so the keys inside are as trustworthy as the one export
 * key the importer trusts. No secret is in it: API tokens and webhook
 * subscriptions appear without their secrets.
 */
const bodySchemaOfVersion = <V extends 1 | 2>(v: V) =>
  z
    .object({
      format: z.literal(THEATER_BACKUP_FORMAT),
      v: z.literal(v),
      $schema: z.string(),
      origin: z.object({ issuer: z.string(), exportedAt: when }),
      keys: z.object({ export: jwks, license: jwks, receipt: jwks }),
      certificateAuthorities: z.array(
        z.object({
          id: z.string(),
          kind: z.string(),
          subject: z.string(),
          serialHex: z.string(),
          certificatePem: z.string(),
          notBefore: when,
          notAfter: when,
          parentId: z.string().nullable(),
        }),
      ),
      theater: z.object({ id: z.string(), slug: z.string(), name: z.string(), status: z.string(), createdAt: when }),
      members: z.array(
        z.object({
          userId: z.string(),
          email: z.string(),
          name: z.string().nullable(),
          role: z.string(),
          createdAt: when,
        }),
      ),
      licenses: z.array(licenseSchema),
      orders: z.array(orderSchema),
      ticketSales: z.array(
        z.object({
          orderId: z.string(),
          showId: z.string(),
          externalRef: z.string().nullable(),
          quantity: z.number().int(),
          amountMinor: minor,
          currency: z.string(),
          clientId: z.string().nullable(),
          fulfilledAt: when,
        }),
      ),
      refunds: z.array(
        z.object({
          id: z.string(),
          orderId: z.string(),
          amountMinor: minor,
          currency: z.string(),
          reason: z.string(),
          status: z.string(),
          requestedById: z.string(),
          approvedById: z.string().nullable(),
          createdAt: when,
          decidedAt: maybeWhen,
        }),
      ),
      adjustments: z.array(
        z.object({
          id: z.string(),
          orderId: z.string(),
          kind: z.string(),
          amountMinor: minor,
          currency: z.string(),
          providerRef: z.string(),
          status: z.string(),
          journalEntryId: z.string(),
          reversalEntryId: z.string().nullable(),
          createdAt: when,
          closedAt: maybeWhen,
        }),
      ),
      payoutStatements: z.array(
        z.object({
          id: z.string(),
          batch: z.object({ id: z.string(), status: z.string(), periodStart: maybeWhen, periodEnd: maybeWhen }),
          amountMinor: minor,
          currency: z.string(),
          status: z.string(),
          destination: z.string().nullable(),
          providerTransferId: z.string().nullable(),
          postedAt: maybeWhen,
          failedAt: maybeWhen,
          failureReason: z.string().nullable(),
        }),
      ),
      ledger: z.array(
        z.object({
          accountId: z.string(),
          kind: z.string(),
          currency: z.string(),
          balanceMinor: minor.meta({
            description: "debits positive, credits negative; what is owed to the theater is negative",
          }),
        }),
      ),
      apiTokens: z.array(
        z.object({
          id: z.string(),
          userId: z.string(),
          name: z.string(),
          tokenPrefix: z.string(),
          createdAt: when,
          expiresAt: maybeWhen,
          lastUsedAt: maybeWhen,
          revokedAt: maybeWhen,
        }),
      ),
      settings: z.object({
        webhooks: z.array(
          z.object({
            id: z.string(),
            url: z.string(),
            eventTypes: z.array(z.string()),
            status: z.string(),
            createdAt: when,
          }),
        ),
      }),
    })
    .strict();

export const theaterBackupBodySchemaV1 = bodySchemaOfVersion(1);
export const theaterBackupBodySchema = bodySchemaOfVersion(THEATER_BACKUP_VERSION);

/**
 * The parts of a body whose records have their own hash in a version 2 backup's `recordHashes`, in the body's
 * order: a section of one record (origin, keys, theater) or a list; `settings.webhooks` is the list inside
 * settings. What is outside them (format, v, $schema) the body's digest alone covers.
 */
export const THEATER_BACKUP_RECORD_SECTIONS = [
  "origin",
  "keys",
  "certificateAuthorities",
  "theater",
  "members",
  "licenses",
  "orders",
  "ticketSales",
  "refunds",
  "adjustments",
  "payoutStatements",
  "ledger",
  "apiTokens",
  "settings.webhooks",
] as const;
export type TheaterBackupRecordSection = (typeof THEATER_BACKUP_RECORD_SECTIONS)[number];

// Not checked as hex here: a changed byte in a hash is refused by the signature's check, naming the entry.
const recordHashEntry = z.object({
  key: z.string().nullable().meta({ description: "the record's key (its id, mostly) when it has one" }),
  sha256: z.string().meta({ description: "hex SHA-256 of the RFC 8785 canonical JSON of the record" }),
});

/**
 * A version 2 backup's record hashes: for each section, one entry per record in the body's order. Its own digest
 * is in the signature, beside the body's, so a changed record and a changed entry of this list are told apart.
 */
export const theaterBackupRecordHashesSchema = z
  .object(
    Object.fromEntries(THEATER_BACKUP_RECORD_SECTIONS.map((s) => [s, z.array(recordHashEntry)])) as Record<
      TheaterBackupRecordSection,
      z.ZodArray<typeof recordHashEntry>
    >,
  )
  .strict();

/**
 * A version 1 file: the body and its signature, a compact JWS (EdDSA, typ
 * guildhall-theater-backup+jws) by the origin's export key over
 * `{ digest, theater, issuer, exportedAt }`, where `digest` is the hex
 * SHA-256 of the RFC 8785 canonical JSON of `backup`.
 */
export const theaterBackupFileSchemaV1 = z
  .object({ backup: theaterBackupBodySchemaV1, signature: z.string() })
  .strict();

/**
 * A version 2 file: the body, its record hashes and its signature, a compact
 * JWS (EdDSA, typ guildhall-theater-backup+jws) by the origin's export key
 * over `{ digest, recordHashes, theater, issuer, exportedAt }`, where `digest`
 * is the hex SHA-256 of the RFC 8785 canonical JSON of `backup` and
 * `recordHashes` that of the file's `recordHashes`.
 */
export const theaterBackupFileSchema = z
  .object({ backup: theaterBackupBodySchema, recordHashes: theaterBackupRecordHashesSchema, signature: z.string() })
  .strict();

/** A body of either version this Guildhall reads: the same records, told apart by `v`. */
export type TheaterBackupBody = z.infer<typeof theaterBackupBodySchema> | z.infer<typeof theaterBackupBodySchemaV1>;
export type TheaterBackupRecordHashes = z.infer<typeof theaterBackupRecordHashesSchema>;
export type TheaterBackupFile = z.infer<typeof theaterBackupFileSchema>;
export type TheaterBackupFileV1 = z.infer<typeof theaterBackupFileSchemaV1>;
