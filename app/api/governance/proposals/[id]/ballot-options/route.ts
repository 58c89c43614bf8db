import { apiRoute } from "@/lib/http/api-route";
import { proposalIdParams } from "@/app/api/governance/governance-schemas";
import { requireAccess } from "@/lib/auth/require-access";
import { startBallot } from "@/lib/governance/start-ballot";
import { answer, parseBody } from "@/lib/http/api-contract";
import {
  ballotOptionsRequestSchema,
  ballotOptionsResponseSchema,
} from "@/app/api/governance/proposals/[id]/ballot-options/schemas";

/** The ballot to sign and the WebAuthn options whose challenge is its hash. */
export const POST = apiRoute(
  async (req, { params }) => {
    const { session } = await requireAccess("signed-in");
    const body = await parseBody(ballotOptionsRequestSchema, req);
    const result = await startBallot({ proposalId: params.id, voterId: session.userId, ...body });
    return answer(ballotOptionsResponseSchema, result, { headers: { "cache-control": "no-store" } });
  },
  { params: proposalIdParams },
);
