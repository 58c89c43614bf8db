import "server-only";
import fs from "node:fs";
import { AppStoreServerAPIClient, Environment } from "@apple/app-store-server-library";
import { AppError } from "@/lib/errors/app-error";
import { appleConfigOrThrow } from "@/lib/app-stores/apple-verifier";

/**
 * Apple's App Store Server API client, pointed at another base URL when
 * APPLE_API_BASE is set (the tests' local double). Only the address changes:
 * the library still signs its bearer token with our key and checks every
 * answer's shape.
 */
class RebasedAppStoreServerAPIClient extends AppStoreServerAPIClient {
  constructor(
    signingKey: string,
    keyId: string,
    issuerId: string,
    bundleId: string,
    environment: Environment,
    private readonly base: string | undefined,
  ) {
    super(signingKey, keyId, issuerId, bundleId, environment);
  }

  protected override async makeFetchRequest(
    path: string,
    query: URLSearchParams,
    method: string,
    body: string | Buffer | undefined,
    headers: { [key: string]: string },
  ) {
    if (!this.base) return super.makeFetchRequest(path, query, method, body, headers);
    // The library reads only ok, status and json() of the answer, which fetch's Response has too.
    const payload = typeof body === "string" || body === undefined ? body : new Uint8Array(body);
    return (await fetch(`${this.base.replace(/\/+$/, "")}${path}?${query}`, {
      method,
      body: payload,
      headers,
    })) as never;
  }
}

let cached: { key: string; client: AppStoreServerAPIClient } | undefined;

/** The API client, or NOT_FOUND (reason APPLE_API_NOT_CONFIGURED) when no API key is configured. */
export function appleApiClient(): AppStoreServerAPIClient {
  const config = appleConfigOrThrow();
  if (!config.api)
    throw new AppError("NOT_FOUND", {
      reason: "APPLE_API_NOT_CONFIGURED",
      userMessage:
        "No App Store Server API key is configured (APPLE_API_KEY_PATH, APPLE_API_KEY_ID, APPLE_API_ISSUER_ID).",
    });
  const cacheKey = JSON.stringify([config.api, config.bundleId, config.environment]);
  if (cached?.key === cacheKey) return cached.client;
  const client = new RebasedAppStoreServerAPIClient(
    fs.readFileSync(config.api.keyPath, "utf8"),
    config.api.keyId,
    config.api.issuerId,
    config.bundleId,
    config.environment === "Production" ? Environment.PRODUCTION : Environment.SANDBOX,
    config.api.base,
  );
  cached = { key: cacheKey, client };
  return client;
}
