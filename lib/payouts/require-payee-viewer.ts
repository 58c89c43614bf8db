import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { UserAccess } from "@/lib/access/user-access";
import { payeeOfOrgSlug } from "@/lib/payouts/connect-payee-account";

/**
 * Who may see a payee's statement: the admins of that theater, the operators
 * of that host, and finance. Anyone else gets NOT_FOUND-free FORBIDDEN; a
 * missing organization is NOT_FOUND. `manage` excludes finance (connecting a
 * payout account is the payee's own act).
 */
export async function requirePayeeViewer(access: UserAccess, slug: string, opts: { manage?: boolean } = {}) {
  const payee = await payeeOfOrgSlug(slug);
  if (!payee) throw new AppError("NOT_FOUND", { userMessage: "No such organization." });
  const role = payee.kind === "theater_payable" ? "THEATER_ADMIN" : "HOST_OPERATOR";
  const member = access.memberships.some((m) => m.orgId === payee.orgId && m.role === role);
  const finance = !opts.manage && access.roles.includes("FINANCE");
  if (!member && !finance)
    throw new AppError("FORBIDDEN", {
      userMessage: "Only this organization's admins and finance can see its payouts.",
    });
  return payee;
}
