import "server-only";
import type { Tx } from "@/lib/db/client";

/**
 * Every Postgres advisory lock Guildhall takes, in one place, so that two
 * features never share a key by accident. Numbered locks are bigints in the
 * 7_277_xxx range (the migration runner's is Prisma's own key, so the stock
 * Prisma CLI and our runner exclude each other); text-keyed ones go through
 * hashtext() and name their feature first; session-level locks of
 * background tasks take two keys, the first their class (below).
 */
export const advisoryLockIds = {
  auditChain: 7_277_001,
  demoSeed: 7_277_002,
  releaseManifest: 7_277_061,
  serviceConfiguration: 7_277_062,
  lastOrgAdmin: 7_277_101,
  payoutBatchCreation: 7_277_401,
  logIntegrator: 7_277_501,
  prismaMigrations: 72_707_369,
} as const;

/**
 * The first key of the two-key session locks of background tasks (lib/db/run-exclusively.ts, the second key
 * is the task's hashed name): keeps them apart from the single-key locks whatever a task's name hashes to.
 */
export const backgroundTaskLockClass = 4_718;

export const advisoryLockNames = {
  /** Membership changes of one organization. */
  membership: (orgId: string) => `membership:${orgId}`,
  /** First use and rotation of the signing key of one purpose. */
  signingKey: (purpose: string) => `signing-key-${purpose}`,
  /** Version numbering of one product kind's split in one currency. */
  splitPolicyVersion: (productKind: string, currency: string) => `split-policy:${productKind}:${currency}`,
  /** A theater's purchase of one plan at the web checkout: a double click makes one pending license. */
  licensePurchase: (theaterOrgId: string, planId: string) => `license-purchase:${theaterOrgId}:${planId}`,
  /** The purchases of one store subscription (or one-time purchase), by the store's original transaction id. */
  storePurchase: (store: string, originalTransactionId: string) => `store-purchase:${store}:${originalTransactionId}`,
  /** One provider payment: recording a funder's payment and holding a refund of it that came first. */
  providerPayment: (provider: string, paymentRef: string) => `provider-payment:${provider}:${paymentRef}`,
} as const;

/** Takes a numbered lock until the transaction ends. */
export async function lockForTransaction(tx: Tx, id: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${id})`;
}

/** Takes a text-keyed lock (hashtext) until the transaction ends. */
export async function lockNameForTransaction(tx: Tx, name: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${name}))`;
}
