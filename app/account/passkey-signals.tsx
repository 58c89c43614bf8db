"use client";
import { useEffect } from "react";
import { sendSignal } from "@simplewebauthn/browser";

/**
 * Tells the browser which of this account's passkeys we still accept and the
 * account's current names (WebAuthn signals), so a passkey removed here stops
 * being offered on the device and a renamed account shows its new name in the
 * passkey picker. Best effort: browsers without the signal API ignore it.
 */
export function PasskeySignals(p: {
  rpID: string;
  userID: string;
  credentialIDs: string[];
  userName: string;
  userDisplayName: string;
}) {
  const ids = p.credentialIDs.join(",");
  useEffect(() => {
    const allAcceptedCredentialIDs = ids ? ids.split(",") : [];
    void sendSignal({
      signalName: "allAcceptedCredentials",
      rpID: p.rpID,
      userID: p.userID,
      allAcceptedCredentialIDs,
    }).catch(() => undefined);
    void sendSignal({
      signalName: "currentUserDetails",
      rpID: p.rpID,
      userID: p.userID,
      userName: p.userName,
      userDisplayName: p.userDisplayName,
    }).catch(() => undefined);
  }, [p.rpID, p.userID, ids, p.userName, p.userDisplayName]);
  return null;
}
