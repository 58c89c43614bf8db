import "server-only";
import { z } from "zod";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import type { Actor } from "@/lib/access/actor";
import type { StoreName } from "@/lib/app-stores/store-transaction";
import { ensureMainReleaseLine, MAIN_RELEASE_LINE } from "@/lib/release-lines/ensure-main-release-line";

export const storeProductInputSchema = z.discriminatedUnion("kind", [
  z.object({
    store: z.enum(["apple", "google"]),
    productId: z.string().min(1).max(200),
    kind: z.literal("ticket"),
    theaterOrgId: z.string().min(1),
    showId: z.string().min(1).max(200),
  }),
  z.object({
    store: z.enum(["apple", "google"]),
    productId: z.string().min(1).max(200),
    kind: z.literal("license"),
    theaterOrgId: z.string().min(1),
    planId: z.string().min(1),
  }),
  // A monthly auto-renewable subscription (Apple) or subscription (Google) that funds a release line or one
  // host: each paid period is a funder's payment (lib/funding), split to the hosts as a web funding's is.
  z
    .object({
      store: z.enum(["apple", "google"]),
      productId: z.string().min(1).max(200),
      kind: z.literal("funding"),
      /** The release line by its name (as its funding page is addressed). */
      releaseLineName: z.string().min(1).max(100).optional(),
      hostOrgId: z.string().min(1).max(100).optional(),
    })
    .refine((p) => Boolean(p.releaseLineName) !== Boolean(p.hostOrgId), {
      message: "a funding product funds either a release line or a host",
    }),
]);
export type StoreProductInput = z.infer<typeof storeProductInputSchema>;

/**
 * Maps a store product to what it sells (an org admin's act, through the CLI):
 * tickets of a theater's show, a theater's license of a plan, or funding of a
 * release line or of one host. The theater must exist and the plan be on
 * offer, the line or host exist; a product id already mapped is refused
 * (CONFLICT), since purchases already recorded were read with its meaning.
 */
export async function addStoreProduct({ actor, ...input }: { actor: Actor } & StoreProductInput) {
  const p = storeProductInputSchema.parse(input);
  return db().$transaction(async (tx) => {
    const releaseLineId = p.kind === "funding" ? await fundingTargetLine(tx, p) : null;
    if (p.kind !== "funding") {
      const theater = await tx.organization.findUnique({ where: { id: p.theaterOrgId }, select: { kind: true } });
      if (theater?.kind !== "THEATER")
        throw new AppError("NOT_FOUND", { reason: "THEATER_NOT_FOUND", userMessage: "No such theater." });
    }
    if (p.kind === "license") {
      const plan = await tx.licensePlan.findUnique({ where: { id: p.planId }, select: { archivedAt: true } });
      if (!plan || plan.archivedAt)
        throw new AppError("NOT_FOUND", { reason: "PLAN_NOT_FOUND", userMessage: "That plan is not on offer." });
    }
    const made = await tx.storeProduct.createMany({
      data: [
        {
          store: p.store,
          productId: p.productId,
          kind: p.kind,
          theaterOrgId: p.kind === "funding" ? null : p.theaterOrgId,
          showId: p.kind === "ticket" ? p.showId : null,
          planId: p.kind === "license" ? p.planId : null,
          releaseLineId,
          hostOrgId: p.kind === "funding" ? (p.hostOrgId ?? null) : null,
        },
      ],
      skipDuplicates: true,
    });
    if (made.count === 0)
      throw new AppError("CONFLICT", {
        reason: "PRODUCT_ALREADY_MAPPED",
        userMessage: `The ${p.store} product ${p.productId} is already mapped.`,
      });
    await appendAuditEvent(tx, {
      actor,
      action: "store_product.mapped",
      subject: { type: "store_product", id: `${p.store}:${p.productId}` },
      state: p,
      data: p,
    });
    return p;
  });
}

/** A funding product's release line (its id), or null when it funds a host (which must be one). */
async function fundingTargetLine(tx: Tx, p: { releaseLineName?: string; hostOrgId?: string }) {
  if (p.releaseLineName) {
    if (p.releaseLineName === MAIN_RELEASE_LINE) return (await ensureMainReleaseLine(tx)).id;
    const line = await tx.releaseLine.findUnique({ where: { name: p.releaseLineName }, select: { id: true } });
    if (!line)
      throw new AppError("NOT_FOUND", { reason: "UNKNOWN_RELEASE_LINE", userMessage: "No such release line." });
    return line.id;
  }
  const host = await tx.organization.findUnique({ where: { id: p.hostOrgId ?? "" }, select: { kind: true } });
  if (host?.kind !== "HOST") throw new AppError("NOT_FOUND", { reason: "UNKNOWN_HOST", userMessage: "No such host." });
  return null;
}

/** The mapping of a store's product, or UNPROCESSABLE (reason UNKNOWN_PRODUCT): such a purchase changes nothing. */
export async function getStoreProductOrThrow(tx: Tx, { store, productId }: { store: StoreName; productId: string }) {
  const product = await tx.storeProduct.findUnique({ where: { store_productId: { store, productId } } });
  if (!product)
    throw new AppError("UNPROCESSABLE", {
      reason: "UNKNOWN_PRODUCT",
      userMessage: `The ${store} product ${productId} is not mapped to anything Guildhall sells.`,
    });
  return product;
}

export async function listStoreProducts() {
  return db().storeProduct.findMany({ orderBy: [{ store: "asc" }, { productId: "asc" }] });
}
