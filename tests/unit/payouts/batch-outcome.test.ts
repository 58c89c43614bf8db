import { describe, expect, it } from "vitest";
import { finishedBatchStatus } from "@/lib/payouts/batch-outcome";

describe("a finished batch's status", () => {
  it("is completed only when no transfer failed", () => {
    expect(finishedBatchStatus({ posted: 3, failed: 0 })).toBe("completed");
    expect(finishedBatchStatus({ posted: 2, failed: 1 })).toBe("partly_failed");
    expect(finishedBatchStatus({ posted: 0, failed: 4 })).toBe("failed");
  });
});
