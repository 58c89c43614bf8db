import { describe, expect, it } from "vitest";
import { payoutBatchCsv } from "@/lib/payouts/payout-csv";

const item = {
  id: "poi_1",
  ledgerAccountId: "developers_fund:-:EUR",
  orgId: null,
  amountMinor: 4200n, // €42.00
  currency: "EUR",
  status: "pending",
  providerTransferId: null,
  failureReason: null,
  postedAt: null,
};

describe("payout batch CSV", () => {
  it("says a draft awaits approval and how many approvals it has, not 'draft'", () => {
    const csv = payoutBatchCsv(
      { id: "po_1", status: "draft", currency: "EUR", approvals: [{ userId: "usr_a" }] },
      [item],
      new Map(),
    );
    const [header, row] = csv.trim().split("\r\n");
    expect(header.split(",").at(1)).toBe("batch_status");
    expect(header.split(",").at(-1)).toBe("batch_approvals");
    expect(row.split(",").at(1)).toBe("awaiting_approval");
    expect(row.split(",").at(-1)).toBe("1 of 2");
  });
});
