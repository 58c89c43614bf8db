import type { CDPSession, Page } from "@playwright/test";

/**
 * A passkey authenticator inside Chromium, through the DevTools protocol: a
 * platform authenticator holding discoverable credentials, with user
 * verification that always succeeds and no prompt to click.
 */
export async function addVirtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

export async function removeVirtualAuthenticator(a: { cdp: CDPSession; authenticatorId: string }): Promise<void> {
  await a.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: a.authenticatorId });
}

export async function credentialCount(a: { cdp: CDPSession; authenticatorId: string }): Promise<number> {
  const { credentials } = await a.cdp.send("WebAuthn.getCredentials", { authenticatorId: a.authenticatorId });
  return credentials.length;
}
