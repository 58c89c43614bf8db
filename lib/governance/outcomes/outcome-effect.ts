import "server-only";
import type { ActiveSigningKey } from "@/lib/keys/get-active-signing-key";

/** What applying a passed proposal's outcome did: a change applied, or none (with the note saying why). */
export type OutcomeEffect = { effectStatus: "applied" | "none"; effectNote: string };

/**
 * The keys an outcome may sign with, fetched before the closing transaction
 * (first use creates a key in a transaction of its own): the release
 * manifest's and the trust anchor's, which signs the service configuration.
 */
export type OutcomeKeys = { manifest: ActiveSigningKey; federation: ActiveSigningKey };
