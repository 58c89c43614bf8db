import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testSecrets } from "./standalone-server";
import { defined } from "../../support/defined";

/**
 * Points this test process's own lib/ at the cluster's database, as the
 * operator CLI would be, so a test makes its fixtures and checks its results
 * through the domain functions (never through the instances' memory).
 */
export async function useClusterDatabase(databaseUrl: string, publicUrl: string) {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: publicUrl,
    ...testSecrets,
    SEED_DEMO: "0",
    LOG_LEVEL: "silent",
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "gh-deploy-world-")),
  });
  const { resetEnvForTests } = await import("@/lib/config/env");
  resetEnvForTests();
  const { db } = await import("@/lib/db/client");
  const { closeDb } = await import("@/lib/db/close-db");
  return { db, closeDb };
}

/** A user with a passkey registered through the sign-up ceremony, for signing in over HTTP. */
export async function seedPasskeyUser(email: string) {
  const { SoftAuthenticator } = await import("../../support/soft-authenticator");
  const { env } = await import("@/lib/config/env");
  const { startSignUp } = await import("@/lib/auth/start-sign-up");
  const { completeSignUp } = await import("@/lib/auth/complete-sign-up");
  const authenticator = new SoftAuthenticator(env().publicUrl);
  const options = await startSignUp({ email, name: "Deploy Test" });
  const user = await completeSignUp({
    email,
    name: "Deploy Test",
    responseJson: JSON.stringify(authenticator.register(options)),
  });
  return { user, authenticator };
}

/** A host backend's client_credentials client allowed to open ticket checkouts. */
export async function seedApiClient(name: string) {
  const { createClientFromCli } = await import("@/lib/oidc/clients/create-client-from-cli");
  const { client, secret } = await createClientFromCli({
    name,
    redirectUris: [],
    grants: ["client_credentials"],
    scopes: ["tickets:write"],
    postLogoutRedirectUris: [],
  });
  return { id: client.id, secret: defined(secret) };
}
