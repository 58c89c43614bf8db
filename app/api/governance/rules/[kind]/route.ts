import { z } from "zod";
import { apiRoute, readJson } from "@/lib/http/api-route";
import { requireAccess } from "@/lib/auth/require-access";
import { updateGovernanceRule } from "@/lib/governance/update-governance-rule";
import { proposalKinds } from "@/lib/governance/proposal-kinds";

/** Org admins tune a kind's rule (never below its floor; open proposals keep theirs). */
export const PUT = apiRoute<{ kind: string }>(async (req, { params }) => {
  const { session } = await requireAccess({ role: "ORG_ADMIN" });
  const kind = z.enum(proposalKinds).parse(params.kind);
  const rule = await updateGovernanceRule({ kind, rule: await readJson(req), actorId: session.userId });
  return Response.json({ kind, rule });
});
