import "server-only";
import type { z } from "zod";

export type OutboxJobInfo = { id: string; idempotencyKey: string; attempts: number };

/**
 * An outgoing effect (a mail, a webhook call, a transfer), defined once in
 * the domain that delivers it: its kind (the name stored with each job), the
 * schema of its payload, and the handler that delivers it. enqueueEffect
 * type-checks a payload against the schema; the runner parses the stored
 * payload before it calls the handler.
 */
export type EffectDefinition<Schema extends z.ZodType = z.ZodType> = {
  readonly kind: string;
  readonly schema: Schema;
  handle(payload: z.output<Schema>, job: OutboxJobInfo): Promise<void>;
  /**
   * How many of this effect's jobs of one run may be in flight at once (1 unless said): jobs that each wait on
   * a different outside server (webhook deliveries) need not wait for one another.
   */
  readonly concurrency?: number;
  /** Attempts before the job is marked dead, when this effect retries longer than the outbox's default. */
  readonly maxAttempts?: number;
};

export function defineEffect<Schema extends z.ZodType>(definition: EffectDefinition<Schema>): EffectDefinition<Schema> {
  return definition;
}
