import "server-only";
import { db } from "@/lib/db/client";

/** Every theater by name, for the lists that filter by theater (orders, licenses). */
export async function listTheaters() {
  return db().organization.findMany({
    where: { kind: "THEATER" },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}
