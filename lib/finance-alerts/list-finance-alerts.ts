import "server-only";
import { db } from "@/lib/db/client";

/** The alerts finance has not resolved yet, newest first (the finance page). */
export async function listOpenFinanceAlerts(limit = 50) {
  return db().financeAlert.findMany({
    where: { resolvedAt: null },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, kind: true, message: true, createdAt: true },
  });
}
