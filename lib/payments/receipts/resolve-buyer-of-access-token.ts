import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { OAuthError } from "@/lib/oidc/errors";
import { verifyAccessTokenRecord } from "@/lib/oidc/verify-access-token";

/**
 * The Guildhall user a host names as the buyer of a ticket checkout, by the
 * access token its client received when the buyer signed in. Checks: the
 * token is valid and live (verifyAccessTokenRecord: signature, record, grant,
 * client, user); it was issued to the very client opening the checkout, so a
 * host cannot name someone who never signed in there; and it is a user's
 * token, not a client's own.
 */
export async function resolveBuyerOfAccessToken({
  token,
  clientId,
}: {
  token: string;
  clientId: string;
}): Promise<string> {
  const refuse = () =>
    new AppError("UNPROCESSABLE", {
      userMessage: "buyerAccessToken is not a live access token of a user signed in at this client.",
      reason: "BUYER_TOKEN_INVALID",
    });
  let record: Awaited<ReturnType<typeof verifyAccessTokenRecord>>;
  try {
    record = await verifyAccessTokenRecord(token);
  } catch (e) {
    if (e instanceof OAuthError) throw refuse();
    throw e;
  }
  if (record.clientId !== clientId || !record.userId) throw refuse();
  return record.userId;
}
