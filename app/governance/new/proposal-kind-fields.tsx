import type { ProposalChoices } from "@/lib/governance/list-proposal-choices";
import { Field } from "@/app/governance/new/field";
import type { ProposalKind } from "@/app/governance/new/proposal-content";

/** The fields a proposal of this kind asks for, beyond its title and voting window. */
export function ProposalKindFields({ kind, choices }: { kind: ProposalKind; choices: ProposalChoices }) {
  return (
    <>
      {kind === "release" && (
        <>
          <Field label="Release line">
            <select className="input" name="releaseLineId">
              {choices.releaseLines.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Name">
            <input className="input" name="name" required />
          </Field>
          <Field label="Version">
            <input className="input" name="version" required placeholder="1.4.0" />
          </Field>
          <Field label="Artifact URL">
            <input className="input" name="artifactUrl" type="url" required />
          </Field>
          <Field label="Artifact SHA-256">
            <input className="input font-mono" name="artifactSha256" required pattern="[0-9a-fA-F]{64}" />
          </Field>
          <Field label="Release notes">
            <textarea className="input" name="notes" rows={4} />
          </Field>
        </>
      )}
      {(kind === "policy" || kind === "code_of_conduct") && (
        <Field label="Proposed text">
          <textarea className="input" name="text" rows={10} required />
        </Field>
      )}
      {kind === "split_policy" && (
        <>
          <Field label="Split-policy version id (from payments)">
            <input className="input" name="policyVersionId" required />
          </Field>
          <Field label="Summary of the change">
            <textarea className="input" name="summary" rows={4} required />
          </Field>
        </>
      )}
      {(kind === "host_admission" || kind === "host_removal") && (
        <>
          <Field label="Host">
            <select className="input" name="hostOrgId">
              {choices.hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name} ({h.status.toLowerCase()})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Reason">
            <textarea className="input" name="reason" rows={3} required />
          </Field>
          {kind === "host_admission" && (
            <Field label="Federation declaration (JSON: entityId, endpoints, jwks, jurisdiction, provider; leave empty for a host outside the federation)">
              <textarea className="input font-mono text-xs" name="federation" rows={8} />
            </Field>
          )}
          {kind === "host_admission" && (
            <>
              <Field label="Witness verifier key (the host's transparency-log witness: `witness vkey` prints it; optional)">
                <input className="input font-mono text-xs" name="witnessKey" />
              </Field>
              <Field label="Witness URL (where it takes checkpoints, https; optional)">
                <input className="input" name="witnessUrl" type="url" />
              </Field>
            </>
          )}
        </>
      )}
      {kind === "federation_quorum" && (
        <>
          <Field label="Backends open when they see">
            <select className="input" name="quorumType">
              <option value="majority">more than half of the admitted hosts</option>
              <option value="count">a fixed number of admitted hosts</option>
            </select>
          </Field>
          <Field label="Fixed number of hosts (used with a fixed number)">
            <input className="input" name="quorumHosts" type="number" min={1} max={1000} defaultValue={2} />
          </Field>
          <Field label="Reason">
            <textarea className="input" name="reason" rows={3} required />
          </Field>
        </>
      )}
      {kind === "roster_change" && (
        <>
          <Field label="Person">
            <select className="input" name="userId">
              {choices.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                  {u.roles.length ? ` (${u.roles.join(", ").toLowerCase()})` : ""}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Change">
            <select className="input" name="change">
              <option value="grant">grant</option>
              <option value="revoke">revoke</option>
            </select>
          </Field>
          <Field label="Role">
            <select className="input" name="role">
              <option value="MEMBER">member (binding vote)</option>
              <option value="COMMITTER">committer (non-binding vote)</option>
            </select>
          </Field>
          <Field label="Reason">
            <textarea className="input" name="reason" rows={3} required />
          </Field>
        </>
      )}
      {kind === "fork" && (
        <>
          <Field label="New release line name">
            <input className="input" name="lineName" required pattern="[a-z0-9][a-z0-9-]{1,39}" />
          </Field>
          <Field label="Starting from the approved release">
            <select className="input" name="fromReleaseId">
              {choices.releases.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Description">
            <textarea className="input" name="description" rows={4} required />
          </Field>
          <fieldset className="text-sm">
            <legend className="label">Hosts of the new line</legend>
            {choices.hosts.map((h) => (
              <label key={h.id} className="mr-4">
                <input type="checkbox" name="hostOrgIds" value={h.id} /> {h.name}
              </label>
            ))}
          </fieldset>
        </>
      )}
    </>
  );
}
