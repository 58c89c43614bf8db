import "server-only";
import type { GlobalRole, MembershipRole } from "@/lib/generated/prisma/client";

export const globalRoleLabels: Record<GlobalRole, string> = {
  ORG_ADMIN: "org admin",
  MEMBER: "member (binding vote)",
  COMMITTER: "committer (non-binding vote)",
  FINANCE: "finance",
};

export const membershipRoleLabels: Record<MembershipRole, string> = {
  THEATER_ADMIN: "theater admin",
  HOST_OPERATOR: "host operator",
};
