"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { startAuthentication } from "@simplewebauthn/browser";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import Link from "next/link";
import { ApiCallError, callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";
import { useHydrated } from "@/app/use-hydrated";

type BallotOptions = { ballot: { castAt: string }; options: PublicKeyCredentialRequestOptionsJSON };

/**
 * Casting a ballot: choose, justify (a binding -1 on a consensus vote is a
 * veto only with a justification), confirm the artifact digest was checked,
 * then sign with the passkey. The server turns the ballot into the WebAuthn
 * challenge, so the passkey signs exactly this ballot.
 */
export function VotePanel({
  proposalId,
  digest,
  artifactDigest,
  binding,
  consensus,
  current,
}: {
  proposalId: string;
  digest: string;
  artifactDigest: string | null;
  binding: boolean;
  /** A consensus vote (policy, code of conduct): a -1 is a veto and needs a justification. */
  consensus: boolean;
  current: number | null;
}) {
  const router = useRouter();
  // The choice, the justification and the tick live in React's state, which the Sign button reads: until React
  // runs, the controls wait, so nothing shown in the page is missing from what gets signed.
  const hydrated = useHydrated();
  const [choice, setChoice] = useState<1 | 0 | -1>(1);
  const [justification, setJustification] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [needsPasskey, setNeedsPasskey] = useState(false);
  const objection = choice === -1 && consensus && !justification.trim();

  async function sign() {
    setBusy(true);
    setMessage(null);
    try {
      const body = { choice, justification: justification.trim() || null };
      const { ballot, options } = await callApi<BallotOptions>(
        "POST",
        `/api/governance/proposals/${proposalId}/ballot-options`,
        { ...body, digestConfirmed: confirmed },
      );
      const response = await startAuthentication({ optionsJSON: options });
      await callApi("POST", `/api/governance/proposals/${proposalId}/ballots`, {
        ...body,
        castAt: ballot.castAt,
        response,
      });
      setMessage(`Your signed ballot (${choice > 0 ? "+1" : choice < 0 ? "-1" : "0"}) is recorded and counted.`);
      router.refresh();
    } catch (e) {
      setNeedsPasskey(e instanceof ApiCallError && e.reason === "NO_PASSKEY");
      setMessage(describeFailure(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card space-y-3" data-testid="vote-panel">
      <h2 className="font-semibold">Your vote ({binding ? "binding" : "non-binding"})</h2>
      {current !== null && (
        <p className="text-sm" data-testid="current-vote">
          Your current vote: {current > 0 ? "+1" : current < 0 ? "-1" : "0"}. You may change it until the vote closes;
          the last one counts.
        </p>
      )}
      <div className="flex flex-wrap gap-4 text-sm">
        {(
          [
            [1, "+1 approve"],
            [0, "0 abstain"],
            [-1, "-1 against"],
          ] as const
        ).map(([v, text]) => (
          <label key={v} className="flex flex-wrap items-center gap-1">
            <input
              type="radio"
              name="choice"
              value={v}
              checked={choice === v}
              disabled={!hydrated}
              onChange={() => setChoice(v)}
            />{" "}
            {text}
          </label>
        ))}
      </div>
      <label className="block text-sm">
        <span className="label">
          {consensus
            ? "Justification (required with a -1: on this vote a -1 is a veto)"
            : "Justification (optional, shown with your vote)"}
        </span>
        <textarea
          className="input"
          required={objection}
          aria-invalid={objection}
          rows={3}
          value={justification}
          readOnly={!hydrated}
          onChange={(e) => setJustification(e.target.value)}
          maxLength={10000}
        />
      </label>
      <label className="flex flex-wrap items-start gap-2 text-sm">
        <input
          type="checkbox"
          checked={confirmed}
          disabled={!hydrated}
          onChange={(e) => setConfirmed(e.target.checked)}
          data-testid="confirm-digest"
        />
        <span>
          {artifactDigest ? (
            <>
              I downloaded the artifact and checked that its SHA-256 is{" "}
              <code className="break-all">{artifactDigest}</code>.
            </>
          ) : (
            <>
              I read the proposal whose digest is <code className="break-all">{digest}</code>.
            </>
          )}
        </span>
      </label>
      {objection && (
        <p className="text-sm text-red-800" data-testid="justification-needed">
          Write why you object before you sign: a -1 without a justification is not accepted on this vote.
        </p>
      )}
      <Button
        type="button"
        className="btn"
        disabled={busy || !confirmed || objection}
        onClick={sign}
        data-testid="sign-ballot"
      >
        {busy ? "Waiting for your passkey…" : "Sign ballot with passkey"}
      </Button>
      {message && (
        <p className="text-sm" role="status" data-testid="vote-message">
          {message}{" "}
          {needsPasskey && (
            <Link href="/account#passkeys" data-testid="add-passkey-link">
              Add a passkey on your account page
            </Link>
          )}
        </p>
      )}
    </section>
  );
}
