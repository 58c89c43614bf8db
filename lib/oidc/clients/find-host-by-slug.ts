import "server-only";
import { db } from "@/lib/db/client";

/** A host organization by slug, for the client pages; null for a theater or an unknown slug. */
export async function findHostBySlug(slug: string) {
  const org = await db().organization.findUnique({
    where: { slug },
    select: { id: true, slug: true, name: true, kind: true, status: true },
  });
  return org && org.kind === "HOST" ? org : null;
}

export async function listHosts() {
  return db().organization.findMany({
    where: { kind: "HOST" },
    orderBy: { name: "asc" },
    select: { id: true, slug: true, name: true },
  });
}
