import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { preparedQuery } from "@/lib/db/prepared-query";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";
import type { OidcClient } from "@/lib/generated/prisma/client";

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

describe("preparedQuery", () => {
  it("gives the row Prisma gives, timestamps included, whatever the process's time zone", async () => {
    // A zone far from UTC: a timestamp read as local time would be hours off.
    process.env.TZ = "America/Los_Angeles";
    const { client } = await createClientFromCli({
      name: "Prepared",
      redirectUris: ["http://localhost:5600/cb"],
      grants: ["client_credentials"],
      scopes: ["tickets:write"],
      postLogoutRedirectUris: [],
    });
    await db().oidcClient.update({
      where: { id: client.id },
      data: { jwks: { keys: [{ kty: "EC", crv: "P-256", x: "x", y: "y" }] } },
    });
    const viaPrisma = await db().oidcClient.findUniqueOrThrow({ where: { id: client.id } });
    const [prepared] = await preparedQuery<OidcClient>(
      "test_client_by_id",
      `SELECT * FROM "OidcClient" WHERE "id" = $1`,
      [client.id],
    );
    expect(prepared).toEqual(viaPrisma);
    expect(prepared.createdAt).toBeInstanceOf(Date);
    expect(
      await preparedQuery("test_client_by_id", `SELECT * FROM "OidcClient" WHERE "id" = $1`, ["ghc_missing"]),
    ).toEqual([]);
  });
});
