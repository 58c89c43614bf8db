/** The kinds of proposal the form offers. */
export type ProposalKind =
  | "release"
  | "policy"
  | "code_of_conduct"
  | "split_policy"
  | "host_admission"
  | "host_removal"
  | "roster_change"
  | "fork"
  | "federation_quorum";

/** A field the person filled in wrongly, said before anything is sent. */
export class FieldError extends Error {}

function parseJsonField(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FieldError(`${label}: not valid JSON.`);
  }
}

/** The proposal's content for its kind, from the form's fields; the server validates it. */
export function proposalContentFromForm(kind: ProposalKind, form: FormData): Record<string, unknown> {
  const v = (k: string) => String(form.get(k) ?? "");
  const contentByKind: Record<ProposalKind, () => Record<string, unknown>> = {
    release: () => ({
      releaseLineId: v("releaseLineId"),
      name: v("name"),
      version: v("version"),
      artifactUrl: v("artifactUrl"),
      artifactSha256: v("artifactSha256"),
      notes: v("notes"),
    }),
    policy: () => ({ text: v("text") }),
    code_of_conduct: () => ({ text: v("text") }),
    split_policy: () => ({ policyVersionId: v("policyVersionId"), summary: v("summary") }),
    host_admission: () => ({
      hostOrgId: v("hostOrgId"),
      reason: v("reason"),
      // The declaration is pasted as the JSON the host's tooling prints; the server validates every field.
      ...(v("federation").trim() ? { federation: parseJsonField(v("federation"), "Federation declaration") } : {}),
      // The host's transparency-log witness (docs/LOG.md "Witnesses"): its verifier key and URL, or neither.
      ...(v("witnessKey").trim() || v("witnessUrl").trim()
        ? { witness: { verifierKey: v("witnessKey"), url: v("witnessUrl") } }
        : {}),
    }),
    host_removal: () => ({ hostOrgId: v("hostOrgId"), reason: v("reason") }),
    roster_change: () => ({ userId: v("userId"), role: v("role"), change: v("change"), reason: v("reason") }),
    fork: () => ({
      lineName: v("lineName"),
      fromReleaseId: v("fromReleaseId"),
      description: v("description"),
      hostOrgIds: form.getAll("hostOrgIds").map(String),
    }),
    federation_quorum: () => ({
      quorum: v("quorumType") === "count" ? { type: "count", hosts: Number(v("quorumHosts")) } : { type: "majority" },
      reason: v("reason"),
    }),
  };
  return contentByKind[kind]();
}
