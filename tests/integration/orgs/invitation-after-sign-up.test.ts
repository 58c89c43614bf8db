import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { inviteMember } from "@/lib/orgs/invite-member";
import { acceptInvitation } from "@/lib/orgs/accept-invitation";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { seedOrg, uniqueEmail } from "@/tests/support/factories";
import { newId } from "@/lib/ids";
import { lastInvitationToken, principalOf } from "./helpers";

describe("an invitee who signs up through the link", () => {
  it("is told to confirm the address (not that it is the wrong one), and accepts once it is confirmed", async () => {
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const email = uniqueEmail("bob");
    await inviteMember({ orgId: org.id, email, actor: await principalOf(admin.id) });
    await drainOutbox();
    const token = await lastInvitationToken(email);
    // As complete-sign-up leaves a new account: the address is the invited one, not yet confirmed.
    const user = await db().user.create({ data: { id: newId("usr"), email, emailVerifiedAt: null } });
    await expect(acceptInvitation({ token, userId: user.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
      reason: "EMAIL_UNCONFIRMED",
      userMessage: `Confirm your email address first: enter the code we emailed to ${email}, then accept.`,
    });
    expect(await db().membership.count({ where: { orgId: org.id, userId: user.id } })).toBe(0);

    await db().user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
    const accepted = await acceptInvitation({ token, userId: user.id });
    expect(accepted.membership).toMatchObject({ orgId: org.id, userId: user.id, role: "THEATER_ADMIN" });
  });

  it("still refuses another address, with the wrong-address message", async () => {
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const email = uniqueEmail("carol");
    await inviteMember({ orgId: org.id, email, actor: await principalOf(admin.id) });
    await drainOutbox();
    const token = await lastInvitationToken(email);
    const other = await db().user.create({
      data: { id: newId("usr"), email: uniqueEmail("mallory"), emailVerifiedAt: null },
    });
    await expect(acceptInvitation({ token, userId: other.id })).rejects.toMatchObject({
      reason: "INVITATION_EMAIL_MISMATCH",
    });
  });
});
