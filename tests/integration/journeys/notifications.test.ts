import { describe, expect, it } from "vitest";
import { userActor } from "@/lib/access/actor";
import { db } from "@/lib/db/client";
import { createUser } from "@/lib/orgs/create-user";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { registerHostClient } from "@/lib/oidc/clients/register-host-client";
import { getUserAccess } from "@/lib/access/user-access";
import { seedOrg, seedUser, uniqueEmail } from "@/tests/support/factories";
import { openedMail } from "@/tests/support/mail";
import { seedActiveLicense } from "../licensing/helpers";

async function mailsTo(email: string, template: string) {
  const rows = await db().mailMessage.findMany({ where: { to: email.toLowerCase(), template } });
  return rows.map(openedMail);
}

/**
 * The emails people were missing (issue 17): the person an admin made an
 * account for, a theater whose license is suspended or revoked, and the org
 * admins when a host's client awaits approval. Each is queued in the acting
 * transaction, so it goes exactly when the act happened.
 */
describe("notifications", () => {
  it("mails the person an org admin made an account for, with who made it and how to sign in", async () => {
    const { user: admin } = await seedUser({ name: "Ada Admin", roles: ["ORG_ADMIN"] });
    const email = uniqueEmail("new");
    await createUser({
      email,
      roles: ["FINANCE"],
      actor: { type: "user", id: admin.id, access: await getUserAccess(admin.id) },
    });
    const [mail] = await mailsTo(email, "account-created");
    expect(mail.subject).toBe("Your Guildhall account is ready");
    expect(mail.text).toContain("Ada Admin (a Guildhall org admin) made a Guildhall account");
    expect(mail.text).toContain("with the role finance");
    expect(mail.text).toMatch(/\/sign-in\n/);
    // The operator CLI (the system) makes accounts for itself: no mail.
    const quiet = uniqueEmail("cli");
    await createUser({ email: quiet, actor: { type: "system", id: "cli" } });
    expect(await mailsTo(quiet, "account-created")).toEqual([]);
  });

  it("mails a theater's admins when its license is suspended and when it is revoked, with the reason", async () => {
    const { license, admin, org } = await seedActiveLicense();
    const actor = { type: "user" as const, id: admin.id };
    await suspendLicense({ licenseId: license.id, reason: "Chargeback on the last payment", actor });
    const [suspended] = await mailsTo(admin.email, "license-suspended");
    expect(suspended.subject).toBe(`The license of ${org.name} is suspended`);
    expect(suspended.text).toContain("Reason given: Chargeback on the last payment");
    await revokeLicense({ licenseId: license.id, reason: "The theater closed", actor });
    const [revoked] = await mailsTo(admin.email, "license-revoked");
    expect(revoked.text).toContain("This is final");
    expect(revoked.text).toContain("Reason given: The theater closed");
  });

  it("mails every enabled org admin when a host registers a client that awaits approval", async () => {
    const { user: reviewer } = await seedUser({ roles: ["ORG_ADMIN"] });
    const { user: disabled } = await seedUser({ roles: ["ORG_ADMIN"] });
    await db().user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const { org: host, admin: operator } = await seedOrg({ kind: "HOST", name: "Harbor Host" });
    const metadata = { name: "Harbor tickets", redirectUris: ["https://tickets.harbor.example/callback"] };
    // Only the host's operators register its clients: a stranger is refused and nothing is made or mailed.
    const { user: stranger } = await seedUser();
    await expect(
      registerHostClient({ actor: userActor(stranger.id), hostOrgId: host.id, metadata }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db().oidcClient.count({ where: { hostOrgId: host.id } })).toBe(0);
    expect(await mailsTo(reviewer.email, "client-awaiting-approval")).toEqual([]);
    await registerHostClient({ actor: userActor(operator.id), hostOrgId: host.id, metadata });
    const [mail] = await mailsTo(reviewer.email, "client-awaiting-approval");
    expect(mail.subject).toBe("Harbor Host registered “Harbor tickets”: it awaits your approval");
    expect(mail.text).toContain("tickets.harbor.example");
    expect(mail.text).toMatch(/\/admin\/clients$/);
    expect(await mailsTo(disabled.email, "client-awaiting-approval")).toEqual([]);
  });
});
