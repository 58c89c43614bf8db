import { userActor } from "@/lib/access/actor";
import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { SIGNATURE_TYPE, ed25519RawPublicKey, formatVerifierKey } from "@/lib/merkle/signed-note";
import { db } from "@/lib/db/client";
import type { AppError } from "@/lib/errors/app-error";
import { advanceTestClock } from "@/lib/governance/clock";
import { createProposal } from "@/lib/governance/create-proposal";
import { closeProposal } from "@/lib/governance/close-proposal";
import { runGovernanceSweep } from "@/lib/governance/run-governance-sweep";
import { updateGovernanceRule } from "@/lib/governance/update-governance-rule";
import { declareHostRelease } from "@/lib/governance/declare-host-release";
import { getReleaseManifest } from "@/lib/governance/publish-release-manifest";
import { createSplitPolicy } from "@/lib/splits/create-split-policy";
import { seedOrg, seedUser } from "@/tests/support/factories";
import { HOUR_MS, openRelease, seedVoter, useTestClock, vote, type Voter } from "./helpers";
import { decodeJwt } from "jose";

useTestClock();
const system = { type: "system" as const, id: "test" };

async function passWithAll(voters: Voter[], proposalId: string) {
  for (const v of voters) await vote(v, proposalId, 1);
  await advanceTestClock(72 * HOUR_MS);
  return closeProposal({ proposalId, actor: system });
}

describe("outcomes of passed proposals", () => {
  let voters: Voter[];
  beforeAll(async () => {
    voters = [await seedVoter(), await seedVoter(), await seedVoter()];
  });

  it("a roster change grants a binding vote", async () => {
    const { user } = await seedUser();
    const p = await createProposal({
      kind: "roster_change",
      title: "Make them a member",
      content: { userId: user.id, role: "MEMBER", change: "grant", reason: "Long-time contributor" },
      openNow: true,
      actor: userActor(voters[0].user.id),
    });
    const r = await passWithAll(voters, p.id);
    expect(r.outcome).toBe("passed");
    expect(
      await db().userRole.findUnique({ where: { userId_role: { userId: user.id, role: "MEMBER" } } }),
    ).not.toBeNull();
    await db().userRole.delete({ where: { userId_role: { userId: user.id, role: "MEMBER" } } });
  });

  it("a host removal suspends the host and ends its webhook subscriptions; an admission makes it active again", async () => {
    const { org, admin } = await seedOrg({ kind: "HOST" });
    const subscription = await db().webhookSubscription.create({
      data: {
        id: `whs_${org.id}`,
        orgId: org.id,
        orgKind: "HOST",
        url: "https://hooks.host.example/in",
        eventTypes: ["release.approved"],
        createdById: admin.id,
      },
    });
    const client = await db().oidcClient.create({
      data: {
        id: `ghc_${org.id}`,
        hostOrgId: org.id,
        name: "host app",
        tokenEndpointAuthMethod: "none",
        redirectUris: ["https://host.example/cb"],
        postLogoutRedirectUris: [],
        grantTypes: ["authorization_code"],
        scopes: ["openid"],
        status: "approved",
      },
    });
    const removal = await createProposal({
      kind: "host_removal",
      title: "Remove the host",
      content: { hostOrgId: org.id, reason: "Unpatched" },
      openNow: true,
      actor: userActor(voters[0].user.id),
    });
    expect((await passWithAll(voters, removal.id)).effect.effectStatus).toBe("applied");
    expect((await db().organization.findUniqueOrThrow({ where: { id: org.id } })).status).toBe("SUSPENDED");
    expect((await db().oidcClient.findUniqueOrThrow({ where: { id: client.id } })).status).toBe("suspended");
    expect(await db().webhookSubscription.findUniqueOrThrow({ where: { id: subscription.id } })).toMatchObject({
      status: "disabled",
      disabledReason: `The host was removed by vote (proposal ${removal.id}).`,
    });
    expect(
      await db().auditEvent.count({ where: { action: "webhook_subscription.disabled", subjectId: subscription.id } }),
    ).toBe(1);
    // The admission declares the host's transparency-log witness, which counts from the outcome on.
    const witnessKey = formatVerifierKey(
      "witness.host.example/w",
      SIGNATURE_TYPE.cosignatureV1,
      ed25519RawPublicKey(generateKeyPairSync("ed25519").privateKey),
    );
    const witness = { verifierKey: witnessKey, url: "https://witness.host.example" };
    await expect(
      createProposal({
        kind: "host_admission",
        title: "Admit the host",
        content: { hostOrgId: org.id, reason: "Patched", witness: { ...witness, url: "http://witness.host.example" } },
        openNow: true,
        actor: userActor(voters[0].user.id),
      }),
    ).rejects.toThrow();
    const admission = await createProposal({
      kind: "host_admission",
      title: "Admit the host",
      content: { hostOrgId: org.id, reason: "Patched", witness },
      openNow: true,
      actor: userActor(voters[0].user.id),
    });
    const admitted = await passWithAll(voters, admission.id);
    expect(admitted.effect.effectNote).toContain("Witness witness.host.example/w recorded.");
    expect(await db().logWitness.findFirst({ where: { hostOrgId: org.id, retiredAt: null } })).toMatchObject(witness);
    expect((await db().organization.findUniqueOrThrow({ where: { id: org.id } })).status).toBe("ACTIVE");
    expect((await db().oidcClient.findUniqueOrThrow({ where: { id: client.id } })).status).toBe("approved");
  });

  it("a passed release can be declared by an admitted host, and a fork opens a new release line", async () => {
    const release = await openRelease(voters[0]);
    await passWithAll(voters, release.id);
    const approved = await db().release.findUniqueOrThrow({ where: { proposalId: release.id } });

    const { org, admin: operator } = await seedOrg({ kind: "HOST" });
    const { manifestSeq } = await declareHostRelease({
      hostOrgId: org.id,
      releaseId: approved.id,
      actor: { type: "user", id: operator.id },
    });
    const manifest = await getReleaseManifest();
    expect(manifest.seq).toBe(manifestSeq);
    const payload = decodeJwt(manifest.jws);
    expect(payload.hosts).toContainEqual(expect.objectContaining({ hostOrgId: org.id, releaseId: approved.id }));

    const fork = await createProposal({
      kind: "fork",
      title: "Fork",
      content: {
        lineName: "community",
        fromReleaseId: approved.id,
        description: "A community line",
        hostOrgIds: [org.id],
      },
      openNow: true,
      actor: userActor(voters[0].user.id),
    });
    expect((await passWithAll(voters, fork.id)).effect.effectStatus).toBe("applied");
    const line = await db().releaseLine.findUniqueOrThrow({ where: { name: "community" } });
    expect(line).toMatchObject({ forkedFromReleaseId: approved.id, proposalId: fork.id, hostOrgIds: [org.id] });

    // Only the fork's own hosts run its releases.
    const onFork = await db().release.create({
      data: {
        id: "rel_fork_test",
        releaseLineId: line.id,
        name: "x",
        version: "2.0.0",
        artifactUrl: "https://example.test/x",
        artifactSha256: "cd".repeat(32),
        notes: "",
        proposalId: "prop_fork_test",
        approvedAt: new Date(),
      },
    });
    const other = await seedOrg({ kind: "HOST" });
    const refused = await declareHostRelease({
      hostOrgId: other.org.id,
      releaseId: onFork.id,
      actor: { type: "user", id: other.admin.id },
    }).catch((e: unknown) => e);
    expect((refused as AppError).reason).toBe("NOT_A_LINE_HOST");
    await declareHostRelease({ hostOrgId: org.id, releaseId: onFork.id, actor: { type: "user", id: operator.id } });
  });

  it("refuses a suspended host's declaration", async () => {
    const { org, admin } = await seedOrg({ kind: "HOST" });
    await db().organization.update({ where: { id: org.id }, data: { status: "SUSPENDED" } });
    const any = await db().release.findFirstOrThrow();
    const e = await declareHostRelease({
      hostOrgId: org.id,
      releaseId: any.id,
      actor: { type: "user", id: admin.id },
    }).catch((err: unknown) => err);
    expect((e as AppError).reason).toBe("HOST_NOT_ACTIVE");
  });

  it("a passed split-policy change activates that version in payments by the governance path", async () => {
    // Finance drafts the version; the members' vote activates it.
    const { user: finance } = await seedUser({ roles: ["FINANCE"] });
    const drafted = await createSplitPolicy({
      actor: { type: "user", id: finance.id },
      productKind: "TICKET_SALE",
      currency: "EUR",
      theaterBps: 8000,
      developersFundBps: 1000,
      hostsBps: 500,
      orgBps: 500,
      hostRule: "equal",
    });
    const p = await createProposal({
      kind: "split_policy",
      title: "New split",
      content: { policyVersionId: drafted.id, summary: "More to the devs' fund" },
      openNow: true,
      actor: userActor(voters[0].user.id),
    });
    const r = await passWithAll(voters, p.id);
    expect(r.effect.effectStatus).toBe("applied");
    expect(await db().splitPolicy.findUniqueOrThrow({ where: { id: drafted.id } })).toMatchObject({
      status: "active",
      activatedVia: "governance",
      proposalId: p.id,
    });
    const again = await createProposal({
      kind: "split_policy",
      title: "Again",
      content: { policyVersionId: drafted.id, summary: "x" },
      openNow: true,
      actor: userActor(voters[0].user.id),
    }).catch((e: unknown) => e);
    expect((again as AppError).reason).toBe("SPLIT_POLICY_NOT_DRAFT");
  });
});

describe("rules and the sweep", () => {
  it("lets only an org admin change a kind's rule, checked inside the operation", async () => {
    const { user: member } = await seedUser({ roles: ["MEMBER", "FINANCE"] });
    const before = await db().governanceRule.findUnique({ where: { kind: "split_policy" } });
    const e = await updateGovernanceRule({
      kind: "split_policy",
      rule: { type: "majority", minWindowHours: 96, quorumPercent: 60 },
      actor: userActor(member.id),
    }).catch((err: unknown) => err);
    expect((e as AppError).code).toBe("FORBIDDEN");
    expect(await db().governanceRule.findUnique({ where: { kind: "split_policy" } })).toEqual(before);
  });

  it("keeps a kind's rule type and floors; a new rule applies to new proposals only", async () => {
    const admin = (await seedUser({ roles: ["ORG_ADMIN"] })).user;
    await expect(
      updateGovernanceRule({
        kind: "release",
        rule: { type: "release", minWindowHours: 24, minBindingApprovals: 3 },
        actor: userActor(admin.id),
      }),
    ).rejects.toThrow();
    const e = await updateGovernanceRule({
      kind: "release",
      rule: { type: "majority", minWindowHours: 72, quorumPercent: 50 },
      actor: userActor(admin.id),
    }).catch((err: unknown) => err);
    expect((e as AppError).reason).toBe("RULE_TYPE_FIXED");
    const voter = await seedVoter();
    const before = await openRelease(voter);
    await updateGovernanceRule({
      kind: "release",
      rule: { type: "release", minWindowHours: 96, minBindingApprovals: 4 },
      actor: userActor(admin.id),
    });
    const after = await openRelease(voter);
    const rows = await db().proposal.findMany({
      where: { id: { in: [before.id, after.id] } },
      select: { id: true, rule: true, windowHours: true },
    });
    expect(rows.find((r) => r.id === before.id)?.rule).toMatchObject({ minBindingApprovals: 3 });
    expect(rows.find((r) => r.id === after.id)).toMatchObject({ windowHours: 96, rule: { minBindingApprovals: 4 } });
    await db().governanceRule.deleteMany();
    const short = await createProposal({
      kind: "policy",
      title: "Too short",
      content: { text: "x" },
      windowHours: 2,
      openNow: false,
      actor: userActor(voter.user.id),
    }).catch((err: unknown) => err);
    expect((short as AppError).reason).toBe("WINDOW_TOO_SHORT");
  });

  it("mails the roster when a vote opens and 24 hours before it closes, then closes it", async () => {
    const voter = await seedVoter();
    const p = await openRelease(voter);
    const mails = async (template: string) => db().mailMessage.count({ where: { to: voter.user.email, template } });
    expect(await mails("governance-vote-opened")).toBe(1);
    await runGovernanceSweep();
    expect(await mails("governance-vote-closing")).toBe(0);
    await advanceTestClock(49 * HOUR_MS);
    const first = await runGovernanceSweep();
    expect(first.reminded).toContain(p.id);
    await runGovernanceSweep();
    expect(await mails("governance-vote-closing")).toBe(1);
    await advanceTestClock(24 * HOUR_MS);
    const second = await runGovernanceSweep();
    expect(second.closed).toContain(p.id);
    expect((await db().proposal.findUniqueOrThrow({ where: { id: p.id } })).status).toBe("closed");
  });
});
