import { z } from "zod";
import { isoDateTime } from "@/lib/http/api-contract";
import { governanceFailureReasons } from "@/lib/governance/failure-reasons";
import { authFailureReasons } from "@/lib/auth/failure-reasons";

/** What the governance routes share. */
export const governanceReasons = [governanceFailureReasons];
/** Casting a ballot checks a passkey signature. */
export const ballotReasons = [governanceFailureReasons, authFailureReasons];
export const proposalIdParams = z.object({ id: z.string() });

export const ballotContentSchema = z.object({
  proposalId: z.string(),
  proposalDigest: z.string().meta({ description: "SHA-256 hex of the proposal's canonical content" }),
  voterId: z.string(),
  choice: z.union([z.literal(1), z.literal(0), z.literal(-1)]),
  justificationHash: z.string().meta({ description: 'SHA-256 hex of the justification ("" when none)' }),
  castAt: isoDateTime,
});

const counts = z.object({ plus: z.number().int(), zero: z.number().int(), minus: z.number().int() });
export const tallySchema = z.object({
  binding: counts,
  nonBinding: counts,
  bindingRosterSize: z.number().int(),
  vetoes: z.array(z.string()).meta({ description: "Voter ids of justified binding -1s (consensus only)" }),
  quorumRequired: z.number().int().nullable(),
});
