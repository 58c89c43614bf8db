import type { CliCommand, ParsedArgs } from "../command";
import { CliError, flag, output } from "../command";
import { getUserByEmailOrThrow } from "@/lib/orgs/find-user-by-email";
import { getOrganizationBySlugOrThrow } from "@/lib/orgs/get-organization";
import { grantRole } from "@/lib/orgs/grant-role";
import { revokeRole } from "@/lib/orgs/revoke-role";
import { addMember } from "@/lib/orgs/add-member";
import { removeMember } from "@/lib/orgs/remove-member";
import { isAppError } from "@/lib/errors/app-error";
import { managerRoleOf } from "@/lib/orgs/org-permissions";
import { cliActor } from "@/lib/access/actor";
import { globalRoleSchema, membershipRoleSchema } from "@/lib/orgs/org-schemas";

type Target =
  | { kind: "global"; userId: string; email: string; role: (typeof globalRoleSchema.options)[number] }
  | {
      kind: "membership";
      userId: string;
      email: string;
      role: (typeof membershipRoleSchema.options)[number];
      orgId: string;
      orgSlug: string;
      orgKind: "THEATER" | "HOST";
    };

/** Reads --email, --role and --org: a global role, or a per-organization role that needs --org. */
async function target(args: ParsedArgs): Promise<Target> {
  const roleName = flag(args, "role", true).toUpperCase();
  const orgSlug = flag(args, "org");
  const user = await getUserByEmailOrThrow(flag(args, "email", true));
  const global = globalRoleSchema.safeParse(roleName);
  if (global.success) {
    if (orgSlug) throw new CliError(`${roleName} is a global role; drop --org`);
    return { kind: "global", userId: user.id, email: user.email, role: global.data };
  }
  const membership = membershipRoleSchema.safeParse(roleName);
  if (!membership.success)
    throw new CliError(
      `unknown role "${roleName}"; use one of ${[...globalRoleSchema.options, ...membershipRoleSchema.options].join(", ")}`,
    );
  if (!orgSlug) throw new CliError(`${roleName} is held in an organization; add --org SLUG`);
  const org = await getOrganizationBySlugOrThrow(orgSlug);
  if (managerRoleOf(org.kind) !== membership.data)
    throw new CliError(
      `${org.slug} is a ${org.kind.toLowerCase()}: its role is ${managerRoleOf(org.kind)}, not ${roleName}`,
    );
  return {
    kind: "membership",
    userId: user.id,
    email: user.email,
    role: membership.data,
    orgId: org.id,
    orgSlug: org.slug,
    orgKind: org.kind,
  };
}

function describeTarget(t: Target): string {
  return t.kind === "global" ? `${t.role} for ${t.email}` : `${t.role} of ${t.orgSlug} for ${t.email}`;
}

export const rolesGrant: CliCommand = {
  name: "roles grant",
  summary: "grant a global role, or THEATER_ADMIN/HOST_OPERATOR of an organization",
  usage: "roles grant --email E --role R [--org SLUG] [--json]",
  async run(args) {
    const t = await target(args);
    const { changed } =
      t.kind === "global"
        ? await grantRole({ userId: t.userId, role: t.role, actor: cliActor })
        : await addMember({ orgId: t.orgId, userId: t.userId, role: t.role, actor: cliActor });
    output(args, { ...t, changed }, () => [
      changed ? `granted ${describeTarget(t)}` : `${t.email} already holds ${describeTarget(t).split(" for ")[0]}`,
    ]);
  },
};

export const rolesRevoke: CliCommand = {
  name: "roles revoke",
  summary: "revoke a global role, or remove a user from an organization",
  usage: "roles revoke --email E --role R [--org SLUG] [--json]",
  async run(args) {
    const t = await target(args);
    let changed: boolean;
    if (t.kind === "global") changed = (await revokeRole({ userId: t.userId, role: t.role, actor: cliActor })).changed;
    else {
      try {
        await removeMember({ orgId: t.orgId, userId: t.userId, actor: cliActor });
        changed = true;
      } catch (e) {
        if (isAppError(e) && e.reason === "NOT_A_MEMBER") changed = false;
        else throw e;
      }
    }
    output(args, { ...t, changed }, () => [
      changed ? `revoked ${describeTarget(t)}` : `${t.email} does not hold ${describeTarget(t).split(" for ")[0]}`,
    ]);
  },
};
