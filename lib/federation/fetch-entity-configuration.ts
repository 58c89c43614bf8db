import "server-only";
import { FederationError } from "@/lib/federation/federation-error";
import { limits } from "@/lib/config/limits";

/**
 * Fetches an entity's self-signed Entity Configuration from
 * `<entity id>/.well-known/openid-federation` (§9), with a time limit and a
 * size cap, since the URL comes from a declaration and the request is made on
 * a caller's behalf. Only the text is returned; the caller verifies it.
 */
export async function fetchEntityConfiguration(entityId: string): Promise<string> {
  const url = `${entityId.replace(/\/+$/, "")}/.well-known/openid-federation`;
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(limits.federation.entityConfigurationTimeoutMs),
      redirect: "error",
    });
  } catch {
    throw new FederationError("invalid_trust_chain", `The entity configuration at ${url} could not be fetched.`);
  }
  if (!res.ok) throw new FederationError("invalid_trust_chain", `${url} answered ${res.status}.`);
  const text = await res.text();
  if (text.length > limits.federation.entityConfigurationMaxBytes)
    throw new FederationError("invalid_trust_chain", `${url} answered too much.`);
  return text.trim();
}
