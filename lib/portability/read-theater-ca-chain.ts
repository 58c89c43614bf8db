import "server-only";
import type { Tx } from "@/lib/db/client";
import { iso } from "@/lib/portability/export-values";

/** The issuing CAs of the theater's certificates and their parents up to the root: the chain to check them. */
export async function readTheaterCaChain(tx: Tx, issuerIds: string[]) {
  const found = new Map<string, Awaited<ReturnType<typeof tx.certificateAuthority.findMany>>[number]>();
  let next = issuerIds;
  while (next.length > 0) {
    const rows = await tx.certificateAuthority.findMany({ where: { id: { in: next } } });
    for (const r of rows) found.set(r.id, r);
    next = rows.map((r) => r.parentId).filter((id): id is string => id !== null && !found.has(id));
  }
  return [...found.values()]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((ca) => ({
      id: ca.id,
      kind: ca.kind,
      subject: ca.subject,
      serialHex: ca.serialHex,
      certificatePem: ca.certificatePem,
      notBefore: iso(ca.notBefore),
      notAfter: iso(ca.notAfter),
      parentId: ca.parentId,
    }));
}
