import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";

function list(value: string | undefined, sep: RegExp): string[] {
  return value ? value.split(sep).map((v) => v.trim()).filter(Boolean) : [];
}

export const clientsCreate: CliCommand = {
  name: "clients create",
  summary: "register an OIDC client, approved, and print its id and secret",
  usage: "clients create --name N [--redirect-uri U[,U]] [--grant G[,G]] [--scope \"S S\"] [--host SLUG] [--auth-method M] [--subject public|pairwise] [--logout-uri U] [--backchannel-logout-uri U] [--json]",
  async run(args) {
    const redirectUris = list(flag(args, "redirect-uri"), /[,\s]+/);
    const grants = list(flag(args, "grant"), /[,\s]+/);
    const scopes = list(flag(args, "scope"), /[,\s]+/);
    const authMethod = flag(args, "auth-method");
    const subject = flag(args, "subject");
    if (subject && subject !== "public" && subject !== "pairwise") throw new CliError("--subject is public or pairwise");
    const { client, secret } = await createClientFromCli({
      name: flag(args, "name", true),
      redirectUris,
      grants,
      scopes,
      hostSlug: flag(args, "host"),
      authMethod,
      subjectType: subject as "public" | "pairwise" | undefined,
      postLogoutRedirectUris: list(flag(args, "logout-uri"), /[,\s]+/),
      backchannelLogoutUri: flag(args, "backchannel-logout-uri"),
    });
    output(
      args,
      {
        client_id: client.id,
        client_secret: secret ?? null,
        name: client.name,
        status: client.status,
        host_org_id: client.hostOrgId,
        redirect_uris: client.redirectUris,
        grant_types: client.grantTypes,
        scope: client.scopes.join(" "),
        token_endpoint_auth_method: client.tokenEndpointAuthMethod,
        subject_type: client.subjectType,
      },
      () => [`client_id      ${client.id}`, ...(secret ? [`client_secret  ${secret}   (shown once)`] : []), `status         ${client.status}`, `grants         ${client.grantTypes.join(" ")}`, `scopes         ${client.scopes.join(" ")}`],
    );
  },
};
