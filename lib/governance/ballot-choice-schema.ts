import "server-only";
import { z } from "zod";

/**
 * What a voter decides, as both steps of casting a ballot take it (asking for the ballot to sign, then sending the
 * signed one): +1, 0 or -1, and an optional justification (blank is none; a veto needs one, checked later).
 */
export const ballotChoiceSchema = z.object({
  choice: z.union([z.literal(1), z.literal(0), z.literal(-1)]),
  justification: z
    .string()
    .trim()
    .max(10_000)
    .nullable()
    .default(null)
    .transform((v) => (v ? v : null)),
});
