import "server-only";
import type { OidcClient } from "@/lib/generated/prisma/client";

/** What the audit chain records of a client: its settings, never its secret hash. */
export function clientState(c: OidcClient) {
  const { secretHash, createdAt, updatedAt, ...rest } = c;
  void createdAt;
  void updatedAt;
  return { ...rest, hasSecret: secretHash !== null };
}
