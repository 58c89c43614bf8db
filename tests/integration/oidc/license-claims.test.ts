import { describe, expect, it } from "vitest";
import { collectClaims } from "@/lib/oidc/claims/claim-sources";
import { seedActiveLicense } from "../licensing/helpers";
import { seedOrg } from "../../support/factories";

describe("license ids in the memberships claims", () => {
  it("lists the active licenses of the user's theaters, and nothing for other users", async () => {
    const { admin, license } = await seedActiveLicense();
    const claims = await collectClaims({ userId: admin.id, clientId: "client", scopes: ["openid", "memberships"] });
    expect(claims.license_ids).toEqual([license.id]);

    const { admin: hostOperator } = await seedOrg({ kind: "HOST" });
    expect(
      (await collectClaims({ userId: hostOperator.id, clientId: "client", scopes: ["openid", "memberships"] }))
        .license_ids,
    ).toEqual([]);
  });

  it("is released only with the memberships scope", async () => {
    const { admin } = await seedActiveLicense();
    expect(
      await collectClaims({ userId: admin.id, clientId: "client", scopes: ["openid", "email"] }),
    ).not.toHaveProperty("license_ids");
  });
});
