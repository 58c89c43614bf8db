"use client";
import { useState } from "react";
import { Button } from "@/app/button";
import { verifyEntryInBrowser, type BrowserVerdict } from "@/app/log/browser-log-verify";

type Props = { entry: string; index: number; proof: string[]; checkpoint: string; verifierKey: string };

const words = {
  verified: "verified",
  refused: "FAILED",
  unsupported: "not checked: this browser cannot check Ed25519 signatures (tools/log-verify can)",
} as const;

/**
 * Checks an entry's inclusion proof and its checkpoint's signature here, in the
 * browser, with WebCrypto: nothing is taken from the server's word but the
 * entry, the proof, the signed checkpoint and the key, which anyone can compare
 * with a key they kept.
 */
export function VerifyInBrowser(props: Props) {
  const [verdict, setVerdict] = useState<BrowserVerdict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function check() {
    setBusy(true);
    setError(null);
    try {
      setVerdict(await verifyEntryInBrowser(props));
    } catch (e) {
      setVerdict(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const overall =
    verdict && verdict.inclusion === "verified" && verdict.signature === "verified"
      ? "verified"
      : verdict && (verdict.inclusion === "refused" || verdict.signature === "refused")
        ? "failed"
        : verdict
          ? "partly"
          : null;
  return (
    <div className="space-y-2">
      <Button type="button" className="btn" onClick={check} disabled={busy} data-testid="verify-in-browser">
        {busy ? "Checking…" : "Check this proof in my browser"}
      </Button>
      <div aria-live="polite" data-testid="browser-verdict" data-verdict={overall ?? ""}>
        {error && (
          <p role="alert" className="text-sm text-red-700">
            Could not check: {error}
          </p>
        )}
        {verdict && (
          <ul className="space-y-1 text-sm">
            <li>
              Entry {props.index} hashes to leaf <code className="break-all">{verdict.leafHash}</code>.
            </li>
            <li>
              Its proof leads to the root of the checkpoint of {verdict.treeSize} entries:{" "}
              <strong data-testid="inclusion-verdict">{words[verdict.inclusion]}</strong>.
            </li>
            <li>
              The checkpoint&apos;s signature by the log key:{" "}
              <strong data-testid="signature-verdict">{words[verdict.signature]}</strong>.
            </li>
          </ul>
        )}
      </div>
    </div>
  );
}
