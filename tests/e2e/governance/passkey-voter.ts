import crypto from "node:crypto";
import type { Page } from "@playwright/test";
import { queryE2e } from "../support/database";
import { encodeCoseKey } from "../../support/software-authenticator";

/**
 * Gives a signed-in page a CDP virtual authenticator (Chromium's own WebAuthn
 * implementation) holding a passkey for the user. Passkey registration is the
 * auth domain's flow; here the credential is created with a key we generate,
 * added to the virtual authenticator, and its public key is registered in the
 * Passkey table as registration would. Every ballot signature is then made by
 * Chromium's authenticator through navigator.credentials.get().
 */
export async function addVirtualPasskey(page: Page, email: string): Promise<{ credentialId: string; userId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  const [user] = await queryE2e<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = $1`, [email.toLowerCase()]);
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const id = crypto.randomBytes(16);
  await cdp.send("WebAuthn.addCredential", {
    authenticatorId,
    credential: {
      credentialId: id.toString("base64"),
      isResidentCredential: true,
      rpId: "localhost",
      privateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
      userHandle: Buffer.from(user.id).toString("base64"),
      signCount: 0,
    },
  });
  const jwk = publicKey.export({ format: "jwk" });
  const cose = Buffer.from(encodeCoseKey([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, "base64url")], [-3, Buffer.from(jwk.y!, "base64url")]]));
  const credentialId = id.toString("base64url");
  await queryE2e(
    `INSERT INTO "Passkey" ("id", "userId", "credentialId", "publicKey", "counter", "transports", "deviceType", "backedUp", "name") VALUES ($1, $2, $3, $4, 0, '{internal}', 'singleDevice', false, 'virtual authenticator')`,
    [`pk_${crypto.randomBytes(12).toString("base64url")}`, user.id, credentialId, cose],
  );
  return { credentialId, userId: user.id };
}
