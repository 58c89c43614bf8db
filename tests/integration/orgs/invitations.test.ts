import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/crypto/hash";
import { inviteMember } from "@/lib/orgs/invite-member";
import { acceptInvitation } from "@/lib/orgs/accept-invitation";
import { revokeInvitation } from "@/lib/orgs/revoke-invitation";
import { getInvitationByToken } from "@/lib/orgs/get-invitation-by-token";
import { drainOutbox } from "@/lib/outbox/kick-outbox";
import { seedOrg, seedUser, uniqueEmail } from "@/tests/support/factories";
import { lastAuditActions, lastInvitationToken, principalOf } from "./helpers";
import { openedMail } from "@/tests/support/mail";

describe("invitations", () => {
  it("mails a single-use link, stores only its hash, and makes the invitee a member", async () => {
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const email = uniqueEmail("invitee");
    const inv = await inviteMember({ orgId: org.id, email: email.toUpperCase(), actor: await principalOf(admin.id) });
    expect(inv).toMatchObject({ email, role: "THEATER_ADMIN" });
    expect(inv).not.toHaveProperty("tokenHash");
    // inviteMember kicks the outbox itself; drain what it has not leased and wait for the rest.
    await drainOutbox();
    await expect
      .poll(async () => (await db().mailMessage.findFirstOrThrow({ where: { to: email } })).sentAt, { timeout: 5000 })
      .not.toBeNull();
    const mail = await db().mailMessage.findFirstOrThrow({ where: { to: email } });
    expect(openedMail(mail).subject).toContain(org.name);
    const token = await lastInvitationToken(email);
    const stored = await db().invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(stored.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify((await db().auditEvent.findMany()).map((e) => e.data))).not.toContain(token);

    expect((await getInvitationByToken(token))?.state).toBe("pending");
    const { user } = await seedUser({ email });
    const accepted = await acceptInvitation({ token, userId: user.id });
    expect(accepted.membership).toMatchObject({ orgId: org.id, userId: user.id, role: "THEATER_ADMIN" });
    expect(await lastAuditActions(2)).toEqual(["invitation.accepted", "membership.granted"]);
    await expect(acceptInvitation({ token, userId: user.id })).rejects.toMatchObject({
      code: "GONE",
      reason: "INVITATION_ACCEPTED",
    });
    expect((await getInvitationByToken(token))?.state).toBe("accepted");
  });

  it("refuses a user whose email differs or is unverified", async () => {
    const { org, admin } = await seedOrg({ kind: "HOST" });
    const email = uniqueEmail("invitee");
    await inviteMember({ orgId: org.id, email, actor: await principalOf(admin.id) });
    const token = await lastInvitationToken(email);
    const { user: other } = await seedUser();
    await expect(acceptInvitation({ token, userId: other.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
      reason: "INVITATION_EMAIL_MISMATCH",
    });
    // The invited address, unconfirmed: refused, and told the real cause (issue 17).
    const unverified = await db().user.create({ data: { id: `usr_unverified_${Date.now()}`, email } });
    await expect(acceptInvitation({ token, userId: unverified.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
      reason: "EMAIL_UNCONFIRMED",
    });
    expect(await db().membership.count({ where: { orgId: org.id } })).toBe(1);
  });

  it("refuses expired, revoked, replaced and unknown links", async () => {
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const by = await principalOf(admin.id);
    const email = uniqueEmail("invitee");
    const { user } = await seedUser({ email });

    const first = await inviteMember({ orgId: org.id, email, actor: by });
    const firstToken = await lastInvitationToken(email);
    await inviteMember({ orgId: org.id, email, actor: by });
    const secondToken = await lastInvitationToken(email);
    expect((await db().invitation.findUniqueOrThrow({ where: { id: first.id } })).revokedAt).not.toBeNull();
    await expect(acceptInvitation({ token: firstToken, userId: user.id })).rejects.toMatchObject({
      code: "GONE",
      reason: "INVITATION_REVOKED",
    });

    await db().invitation.updateMany({
      where: { tokenHash: sha256Hex(secondToken) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(acceptInvitation({ token: secondToken, userId: user.id })).rejects.toMatchObject({
      code: "GONE",
      reason: "INVITATION_EXPIRED",
    });

    await expect(acceptInvitation({ token: "x".repeat(43), userId: user.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(acceptInvitation({ token: "<script>", userId: user.id })).rejects.toMatchObject({ name: "ZodError" });
    expect(await getInvitationByToken("x".repeat(43))).toBeNull();
    expect(await db().membership.count({ where: { orgId: org.id, userId: user.id } })).toBe(0);
  });

  it("lets only the organization's managers invite and revoke", async () => {
    const a = await seedOrg({ kind: "THEATER" });
    const b = await seedOrg({ kind: "THEATER" });
    const byA = await principalOf(a.admin.id);
    const byB = await principalOf(b.admin.id);
    await expect(inviteMember({ orgId: b.org.id, email: uniqueEmail(), actor: byA })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const { user: plain } = await seedUser({ roles: ["MEMBER", "FINANCE"] });
    await expect(
      inviteMember({ orgId: a.org.id, email: uniqueEmail(), actor: await principalOf(plain.id) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    const inv = await inviteMember({ orgId: a.org.id, email: uniqueEmail(), actor: byA });
    await expect(revokeInvitation({ invitationId: inv.id, actor: byB })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await revokeInvitation({ invitationId: inv.id, actor: byA });
    expect(await lastAuditActions(1)).toEqual(["invitation.revoked"]);
    await expect(revokeInvitation({ invitationId: inv.id, actor: byA })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "INVITATION_REVOKED",
    });
  });

  it("refuses inviting an existing member or into a suspended organization", async () => {
    const { org, admin } = await seedOrg({ kind: "HOST" });
    const by = await principalOf(admin.id);
    await expect(inviteMember({ orgId: org.id, email: admin.email, actor: by })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "ALREADY_MEMBER",
    });
    const email = uniqueEmail("before-suspension");
    await inviteMember({ orgId: org.id, email, actor: by });
    const token = await lastInvitationToken(email);
    const { user } = await seedUser({ email });
    await db().organization.update({ where: { id: org.id }, data: { status: "SUSPENDED" } });
    await expect(inviteMember({ orgId: org.id, email: uniqueEmail(), actor: by })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "ORG_SUSPENDED",
    });
    await expect(acceptInvitation({ token, userId: user.id })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "ORG_SUSPENDED",
    });
    await expect(inviteMember({ orgId: org.id, email: "not an email", actor: by })).rejects.toMatchObject({
      name: "ZodError",
    });
  });

  it("rate-limits invitations mailed to one address", async () => {
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const by = await principalOf(admin.id);
    const email = uniqueEmail("flooded");
    for (let i = 0; i < 5; i++) await inviteMember({ orgId: org.id, email, actor: by });
    await expect(inviteMember({ orgId: org.id, email, actor: by })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      reason: "mail-address",
    });
    expect(await db().mailMessage.count({ where: { to: email } })).toBe(5);
  });

  it("lets only one of two simultaneous accepts of a link through", async () => {
    const { org, admin } = await seedOrg({ kind: "THEATER" });
    const email = uniqueEmail("racer");
    await inviteMember({ orgId: org.id, email, actor: await principalOf(admin.id) });
    const token = await lastInvitationToken(email);
    const { user } = await seedUser({ email });
    const results = await Promise.allSettled([
      acceptInvitation({ token, userId: user.id }),
      acceptInvitation({ token, userId: user.id }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toMatchObject({
      code: "GONE",
      reason: "INVITATION_ACCEPTED",
    });
    expect(
      await db().auditEvent.count({
        where: { action: "invitation.accepted", data: { path: ["orgId"], equals: org.id } },
      }),
    ).toBe(1);
  });
});
