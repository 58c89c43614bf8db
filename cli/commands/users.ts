import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { createUser } from "@/lib/orgs/create-user";
import { listUsers } from "@/lib/orgs/list-users";
import { cliActor } from "@/lib/access/actor";
import { disableUser } from "@/lib/orgs/disable-user";
import { getUserByEmailOrThrow } from "@/lib/orgs/find-user-by-email";
import { globalRoleSchema } from "@/lib/orgs/org-schemas";

function parseRoles(value: string | undefined) {
  if (!value) return [];
  return value.split(",").map((r) => {
    const parsed = globalRoleSchema.safeParse(r.trim().toUpperCase());
    if (!parsed.success) throw new CliError(`unknown role "${r}"; use one of ${globalRoleSchema.options.join(", ")}`);
    return parsed.data;
  });
}

export const usersCreate: CliCommand = {
  name: "users create",
  summary: "create an account, optionally with global roles (comma-separated)",
  usage: "users create --email E [--name N] [--role R[,R]] [--json]",
  async run(args) {
    const user = await createUser({
      email: flag(args, "email", true),
      name: flag(args, "name"),
      roles: parseRoles(flag(args, "role")),
      actor: cliActor,
    });
    output(args, user, () => [
      `created ${user.id} ${user.email}${user.roles.length ? ` with ${user.roles.join(", ")}` : ""}`,
    ]);
  },
};

export const usersList: CliCommand = {
  name: "users list",
  summary: "list accounts with their roles and memberships",
  usage: "users list [--query Q] [--role R] [--json]",
  async run(args) {
    const role = flag(args, "role");
    const users: Awaited<ReturnType<typeof listUsers>>["users"] = [];
    let after: string | undefined;
    // Page through everything: operators and scripts want the whole list.
    do {
      const page = await listUsers({
        query: flag(args, "query"),
        role: role ? parseRoles(role)[0] : undefined,
        after,
        limit: 500,
      });
      users.push(...page.users);
      after = page.nextAfter ?? undefined;
    } while (after);
    output(args, users, () =>
      users.length === 0
        ? ["no users"]
        : users.map((u) => {
            const orgs = u.memberships.map((m) => `${m.role}@${m.orgSlug}`);
            return [u.email.padEnd(36), u.id.padEnd(28), [...u.roles, ...orgs].join(",") || "-"].join(" ");
          }),
    );
  },
};

export const usersDisable: CliCommand = {
  name: "users disable",
  summary: "disable an account and end every credential acting for it (sessions, OpenID grants, API tokens)",
  usage: "users disable --email E --reason R [--json]",
  async run(args) {
    const user = await getUserByEmailOrThrow(flag(args, "email", true));
    const result = await disableUser({ userId: user.id, reason: flag(args, "reason", true), actor: cliActor });
    output(args, { userId: user.id, ...result }, () => [
      result.changed
        ? `disabled ${user.email}; ended ${Object.entries(result.ended)
            .map(([kind, n]) => `${n} ${kind}`)
            .join(", ")}`
        : `${user.email} was already disabled`,
    ]);
  },
};
