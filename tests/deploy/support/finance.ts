import type { SoftAuthenticator } from "../../support/soft-authenticator";
import { PortalClient } from "./portal-client";

/**
 * A payout batch made as finance staff make it, through the balancer: two
 * finance users sign in with their passkeys, one creates the batch of what is
 * owed, both approve it, the second executes it (the outbox then transfers).
 */
export async function runPayoutBatch(
  url: string,
  finance: [SoftAuthenticator, SoftAuthenticator],
  currency = "EUR",
): Promise<{ batchId: string }> {
  const [first, second] = [new PortalClient(url), new PortalClient(url)];
  for (const [client, authenticator] of [
    [first, finance[0]],
    [second, finance[1]],
  ] as const) {
    const signIn = await client.signInWithPasskey(authenticator);
    if (signIn.status !== 200) throw new Error(`finance sign-in: ${signIn.status} ${await signIn.text()}`);
  }
  const post = async (client: PortalClient, path: string, body: unknown = {}) => {
    const res = await client.request(path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const batch = await post(first, "/api/finance/batches", { currency });
  await post(first, `/api/finance/batches/${batch.id}/approve`);
  await post(second, `/api/finance/batches/${batch.id}/approve`);
  await post(second, `/api/finance/batches/${batch.id}/execute`);
  return { batchId: batch.id };
}
