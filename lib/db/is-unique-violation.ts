import "server-only";
import { Prisma } from "@/lib/db/client";

/**
 * Whether an error is Prisma's unique-constraint violation (P2002): a row
 * another writer inserted first, which callers turn into a CONFLICT, a replay
 * or a retry. With `fields`, only a violation of a constraint over (at least)
 * those columns counts. Where Prisma says which constraint depends on the
 * engine: `meta.target` without a driver adapter; through one, the adapter
 * error's constraint, as its columns (PGlite) or as the index's name
 * (node-postgres), which for an index Prisma named is `<Model>_<columns>_key`.
 * A violation whose constraint is not named does not count, so a caller
 * naming fields never mistakes another constraint for the one it expects.
 */
export function isUniqueViolation(error: unknown, fields?: readonly string[]): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  if (!fields) return true;
  const named = violatedFields(error.meta);
  return fields.every((f) => named.includes(f));
}

type AdapterConstraint = { fields?: unknown; index?: unknown } | undefined;

function violatedFields(meta: Record<string, unknown> | undefined): string[] {
  const target = meta?.target;
  if (Array.isArray(target)) return target.map(String);
  if (typeof target === "string") return [target];
  const constraint = (meta?.driverAdapterError as { cause?: { constraint?: AdapterConstraint } } | undefined)?.cause
    ?.constraint;
  if (Array.isArray(constraint?.fields)) return constraint.fields.map(String);
  const index = typeof constraint?.index === "string" ? constraint.index : "";
  return index.endsWith("_key") ? index.split("_").slice(1, -1) : [];
}
