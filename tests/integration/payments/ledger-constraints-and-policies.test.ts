import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { postJournalEntries } from "@/lib/ledger/post-journal-entries";
import { reverseJournalEntry } from "@/lib/ledger/reverse-journal-entry";
import { checkLedger } from "@/lib/ledger/check-ledger";
import { createSplitPolicy } from "@/lib/splits/create-split-policy";
import { approveSplitPolicy } from "@/lib/splits/approve-split-policy";
import { activateSplitPolicyVersion } from "@/lib/splits/activate-split-policy-version";
import { seedUser } from "../../support/factories";

const sale = (memo: string) => ({
  kind: "sale" as const,
  memo,
  postings: [
    { kind: "processor_clearing" as const, currency: "EUR", amountMinor: 100 },
    { kind: "org_operations" as const, currency: "EUR", amountMinor: -100 },
  ],
});

describe("ledger constraints in the database", () => {
  it("refuses unbalanced or single-posting entries at commit, edits, deletes, and postings added to a committed entry", async () => {
    const [entryId] = await db().$transaction((tx) => postJournalEntries(tx, [sale("ok")]));
    const rawEntry = (id: string) =>
      db().$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO "JournalEntry" ("id","kind","memo") VALUES ($1,'sale','raw')`, id);
        await tx.$executeRawUnsafe(
          `INSERT INTO "LedgerPosting" ("entryId","accountId","currency","amountMinor") VALUES ($1,'processor_clearing:-:EUR','EUR',5)`,
          id,
        );
      });
    await expect(rawEntry("je_unbalanced")).rejects.toThrow(/posting|sum to zero/);
    await expect(
      db().$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`INSERT INTO "JournalEntry" ("id","kind","memo") VALUES ('je_twocur','sale','raw')`);
        await tx.$executeRawUnsafe(
          `INSERT INTO "LedgerPosting" ("entryId","accountId","currency","amountMinor") VALUES ('je_twocur','processor_clearing:-:EUR','EUR',5), ('je_twocur','org_operations:-:EUR','EUR',-4)`,
        );
      }),
    ).rejects.toThrow(/sum to zero/);
    await expect(
      db().$executeRawUnsafe(`UPDATE "LedgerPosting" SET "amountMinor" = 1 WHERE "entryId" = $1`, entryId),
    ).rejects.toThrow(/immutable/);
    await expect(db().$executeRawUnsafe(`DELETE FROM "JournalEntry" WHERE "id" = $1`, entryId)).rejects.toThrow(
      /immutable/,
    );
    await expect(
      db().$executeRawUnsafe(
        `INSERT INTO "LedgerPosting" ("entryId","accountId","currency","amountMinor") VALUES ($1,'processor_clearing:-:EUR','EUR',7), ($1,'org_operations:-:EUR','EUR',-7)`,
        entryId,
      ),
    ).rejects.toThrow(/made in the same transaction/);
    await expect(
      db().$executeRawUnsafe(
        `INSERT INTO "LedgerPosting" ("entryId","accountId","currency","amountMinor") VALUES ($1,'processor_clearing:-:EUR','EUR',0)`,
        entryId,
      ),
    ).rejects.toThrow();
    expect(await db().journalEntry.count({ where: { id: { in: ["je_unbalanced", "je_twocur"] } } })).toBe(0);
    // Postings to an entry or an account that does not exist, or in another currency than the account's.
    await expect(
      db().$executeRawUnsafe(
        `INSERT INTO "LedgerPosting" ("entryId","accountId","currency","amountMinor") VALUES ('je_ghost','processor_clearing:-:EUR','EUR',7), ('je_ghost','org_operations:-:EUR','EUR',-7)`,
      ),
    ).rejects.toThrow(/made in the same transaction/);
    await expect(
      db().$transaction(async (tx) => {
        await tx.$executeRawUnsafe(
          `INSERT INTO "JournalEntry" ("id","kind","memo") VALUES ('je_badacct','sale','raw')`,
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO "LedgerPosting" ("entryId","accountId","currency","amountMinor") VALUES ('je_badacct','processor_clearing:-:EUR','USD',7), ('je_badacct','org_operations:-:EUR','USD',-7)`,
        );
      }),
    ).rejects.toThrow(/unknown account/);

    const reversal = await db().$transaction((tx) => reverseJournalEntry(tx, { entryId, memo: "correction" }));
    await expect(db().$transaction((tx) => reverseJournalEntry(tx, { entryId, memo: "again" }))).rejects.toMatchObject({
      reason: "ALREADY_REVERSED",
    });
    const sum = await db().ledgerPosting.aggregate({
      where: { entryId: { in: [entryId, reversal] } },
      _sum: { amountMinor: true },
    });
    expect(sum._sum.amountMinor).toBe(0n);
    expect((await checkLedger()).ok).toBe(true);
  });
});

describe("split policy versions", () => {
  const terms = {
    productKind: "TICKET_SALE" as const,
    currency: "CHF",
    theaterBps: 8000,
    developersFundBps: 1000,
    hostsBps: 500,
    orgBps: 500,
    hostRule: "usage" as const,
  };

  it("activate after two different finance approvals, superseding the active version", async () => {
    const { user: f1 } = await seedUser({ roles: ["FINANCE"] });
    const { user: f2 } = await seedUser({ roles: ["FINANCE"] });
    const { user: member } = await seedUser({ roles: ["MEMBER"] });
    const v1 = await createSplitPolicy({ actor: { type: "user", id: f1.id }, ...terms });
    await approveSplitPolicy({ actor: { type: "user", id: f1.id }, policyId: v1.id });
    await expect(approveSplitPolicy({ actor: { type: "user", id: f1.id }, policyId: v1.id })).rejects.toMatchObject({
      code: "CONFLICT",
      reason: "ALREADY_APPROVED",
    });
    await expect(approveSplitPolicy({ actor: { type: "user", id: member.id }, policyId: v1.id })).rejects.toMatchObject(
      { code: "FORBIDDEN" },
    );
    await expect(
      db().$transaction((tx) =>
        activateSplitPolicyVersion(tx, {
          policyVersionId: v1.id,
          via: { kind: "finance-approvals" },
          actor: { type: "user", id: f1.id },
        }),
      ),
    ).rejects.toMatchObject({ reason: "APPROVALS_MISSING" });
    expect((await approveSplitPolicy({ actor: { type: "user", id: f2.id }, policyId: v1.id })).status).toBe("active");

    const v2 = await createSplitPolicy({ actor: { type: "user", id: f2.id }, ...terms, theaterBps: 7900, orgBps: 600 });
    expect(v2.version).toBe(2);
    const activated = await db().$transaction((tx) =>
      activateSplitPolicyVersion(tx, {
        policyVersionId: v2.id,
        via: { kind: "governance", proposalId: "prop_123" },
        actor: { type: "system", id: "governance" },
      }),
    );
    expect(activated).toMatchObject({ status: "active", activatedVia: "governance", proposalId: "prop_123" });
    expect((await db().splitPolicy.findUniqueOrThrow({ where: { id: v1.id } })).status).toBe("superseded");
    await expect(createSplitPolicy({ actor: { type: "user", id: f1.id }, ...terms, orgBps: 400 })).rejects.toThrow(
      /10000/,
    );
    const audit = await db().auditEvent.findMany({ where: { subjectId: v2.id }, orderBy: { queued: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["split_policy.drafted", "split_policy.activated"]);
  });

  it("refuses a draft by a user who does not hold FINANCE, in the domain operation itself, drafting nothing", async () => {
    const { user: member } = await seedUser({ roles: ["MEMBER", "ORG_ADMIN"] });
    const before = await db().splitPolicy.count();
    await expect(
      createSplitPolicy({ actor: { type: "user", id: member.id }, ...terms, currency: "CHF" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", userMessage: "Only finance users draft split policies." });
    expect(await db().splitPolicy.count()).toBe(before);
  });
});
