import { apiRoute } from "@/lib/http/api-route";
import { proposalIdParams } from "@/app/api/governance/governance-schemas";
import { requireAccess } from "@/lib/auth/require-access";
import { castBallot, castBallotSchema } from "@/lib/governance/cast-ballot";
import { findLogReceiptIfAny } from "@/lib/transparency/find-log-receipt";
import { answer, parseBody } from "@/lib/http/api-contract";
import { castBallotResponseSchema } from "@/app/api/governance/proposals/[id]/ballots/schemas";

/**
 * Records a passkey-signed ballot (see lib/governance/cast-ballot.ts for the checks). The answer carries the
 * ballot's receipt from the public log (`log`: its entry index, awaiting integration for a moment; fetch it again
 * from /api/log/receipt?kind=ballot&id=… for its inclusion proof).
 */
export const POST = apiRoute(
  async (req, { params }) => {
    const { session } = await requireAccess("signed-in");
    const { ballot, binding } = await castBallot({
      proposalId: params.id,
      voterId: session.userId,
      input: await parseBody(castBallotSchema, req),
    });
    const log = await findLogReceiptIfAny({ kind: "ballot", id: ballot.id });
    return answer(castBallotResponseSchema, { ...ballot, binding, log }, { status: 201 });
  },
  { params: proposalIdParams },
);
