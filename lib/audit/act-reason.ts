import { z } from "zod";

/**
 * The reason a person types before an act that cannot be undone (revoking a
 * license, a role or a token, sending a payout batch). It is recorded in the
 * act's audit event, so "why" is answered later by the chain, not by memory.
 */
export const actReasonSchema = z
  .string()
  .trim()
  .min(5, "Say why in a few words (at least 5 characters).")
  .max(500, "Keep the reason under 500 characters.");
