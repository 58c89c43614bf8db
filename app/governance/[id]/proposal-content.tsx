import { proposalContentSchemas, isProposalKind } from "@/lib/governance/proposal-kinds";

/** A field's value: a list joined, a nested document (a federation declaration, a quorum rule) as JSON. */
function describeValue(v: unknown) {
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join(", ") || "—";
  if (typeof v === "object" && v !== null) return <pre className="text-xs">{JSON.stringify(v, null, 2)}</pre>;
  return String(v);
}

/** Each content field's name in words (the page shows these, never the field names of the schema). */
const fieldWords = new Map<string, string>([
  ["text", "Text"],
  ["policyVersionId", "Split-policy version"],
  ["summary", "Summary"],
  ["hostOrgId", "Host"],
  ["reason", "Reason"],
  ["federation", "Federation declaration"],
  ["witness", "Log witness"],
  ["userId", "Person"],
  ["role", "Role"],
  ["change", "Change"],
  ["lineName", "New release line"],
  ["fromReleaseId", "Forked from release"],
  ["description", "Description"],
  ["hostOrgIds", "Hosts"],
  ["splitPolicyVersionId", "Split-policy version"],
  ["quorum", "Quorum rule"],
]);

/** The fields of a proposal, by kind; a release shows its artifact digest prominently for voters to check. */
export function ProposalContent({ kind, content }: { kind: string; content: unknown }) {
  if (!isProposalKind(kind)) return <pre className="text-xs">{JSON.stringify(content, null, 2)}</pre>;
  const parsed = proposalContentSchemas[kind].safeParse(content);
  if (!parsed.success) return <pre className="text-xs">{JSON.stringify(content, null, 2)}</pre>;
  const c = parsed.data as Record<string, unknown>;
  if (kind === "release") {
    return (
      <dl className="grid grid-cols-[10rem_1fr] gap-y-1 text-sm">
        <dt className="font-medium">Name</dt>
        <dd>{String(c.name)}</dd>
        <dt className="font-medium">Version</dt>
        <dd data-testid="release-version">{String(c.version)}</dd>
        <dt className="font-medium">Artifact</dt>
        <dd>
          <a href={String(c.artifactUrl)} rel="nofollow noreferrer">
            {String(c.artifactUrl)}
          </a>
        </dd>
        <dt className="font-medium">SHA-256</dt>
        <dd className="break-all font-mono text-xs" data-testid="artifact-digest">
          {String(c.artifactSha256)}
        </dd>
        <dt className="font-medium">Release line</dt>
        <dd>{String(c.releaseLineId)}</dd>
        <dt className="font-medium">Notes</dt>
        <dd className="whitespace-pre-wrap">{String(c.notes)}</dd>
      </dl>
    );
  }
  // A policy or code of conduct is its text: shown as a text, not as a one-row table.
  if (typeof c.text === "string" && Object.keys(c).length === 1)
    return <p className="whitespace-pre-wrap text-sm">{c.text}</p>;
  // One column on a phone, label beside value from `sm` up; long ids and URLs wrap only where they must.
  return (
    <dl className="grid grid-cols-1 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
      {Object.entries(c).map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-medium">{fieldWords.get(k) ?? k}</dt>
          <dd className="whitespace-pre-wrap [overflow-wrap:anywhere]">{describeValue(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
