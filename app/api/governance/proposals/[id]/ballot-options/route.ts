import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { startBallot } from "@/lib/governance/start-ballot";

const bodySchema = z.object({
  choice: z.union([z.literal(1), z.literal(0), z.literal(-1)]),
  justification: z
    .string()
    .trim()
    .max(10_000)
    .nullable()
    .default(null)
    .transform((v) => (v ? v : null)),
  digestConfirmed: z.boolean(),
});

/** The ballot to sign and the WebAuthn options whose challenge is its hash. */
export const POST = apiRoute<{ id: string }>(async (req, { params }) => {
  const { session } = await requireAccess("signed-in");
  const body = bodySchema.parse(await readJson(req));
  const result = await startBallot({ proposalId: params.id, voterId: session.userId, ...body });
  return Response.json(result, { headers: { "cache-control": "no-store" } });
});
