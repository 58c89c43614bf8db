import { cliActor } from "@/lib/access/actor";
import type { CliCommand, ParsedArgs } from "../command";
import { CliError, flag, output } from "../command";
import { createClientFromCli } from "@/lib/oidc/clients/create-client-from-cli";
import { purgeExpiredOidcRecords } from "@/lib/oidc/purge-expired";
import { issueInitialAccessToken } from "@/lib/oidc/clients/initial-access-tokens";
import { findHostBySlug } from "@/lib/oidc/clients/find-host-by-slug";

/** An on/off switch: present is on; a value after it is a mistake, not silently read as on or off. */
function switchOn(args: ParsedArgs, name: string): boolean {
  const v = args.flags[name];
  if (v === undefined) return false;
  if (v !== true) throw new CliError(`--${name} takes no value (it is on when given)`);
  return true;
}

function list(value: string | undefined, sep: RegExp): string[] {
  return value
    ? value
        .split(sep)
        .map((v) => v.trim())
        .filter(Boolean)
    : [];
}

export const clientsCreate: CliCommand = {
  name: "clients create",
  summary: "register an OIDC client, approved, and print its id and secret",
  usage:
    'clients create --name N [--redirect-uri U[,U]] [--grant G[,G]] [--scope "S S"] [--host SLUG] [--auth-method M] [--subject public|pairwise] [--logout-uri U] [--backchannel-logout-uri U] [--jwks-uri U] [--require-par] [--require-signed-request-object] [--dpop-bound-access-tokens] [--json]',
  async run(args) {
    const redirectUris = list(flag(args, "redirect-uri"), /[,\s]+/);
    const grants = list(flag(args, "grant"), /[,\s]+/);
    const scopes = list(flag(args, "scope"), /[,\s]+/);
    const authMethod = flag(args, "auth-method");
    const subject = flag(args, "subject");
    if (subject && subject !== "public" && subject !== "pairwise")
      throw new CliError("--subject is public or pairwise");
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
      jwksUri: flag(args, "jwks-uri"),
      requirePushedAuthorizationRequests: switchOn(args, "require-par"),
      requireSignedRequestObject: switchOn(args, "require-signed-request-object"),
      dpopBoundAccessTokens: switchOn(args, "dpop-bound-access-tokens"),
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
        jwks_uri: client.jwksUri,
        require_pushed_authorization_requests: client.requirePushedAuthorizationRequests,
        require_signed_request_object: client.requireSignedRequestObject,
        dpop_bound_access_tokens: client.dpopBoundAccessTokens,
      },
      () => [
        `client_id      ${client.id}`,
        ...(secret ? [`client_secret  ${secret}   (shown once)`] : []),
        `status         ${client.status}`,
        `grants         ${client.grantTypes.join(" ")}`,
        `scopes         ${client.scopes.join(" ")}`,
        ...(client.requirePushedAuthorizationRequests ? ["requires       pushed authorization requests"] : []),
        ...(client.requireSignedRequestObject ? ["requires       signed request objects"] : []),
        ...(client.dpopBoundAccessTokens ? ["tokens         DPoP-bound"] : []),
      ],
    );
  },
};

export const oidcPurge: CliCommand = {
  name: "oidc purge",
  summary: "delete expired OIDC interactions, codes, assertion ids and tokens now (the portal does it every hour)",
  usage: "oidc purge [--json]",
  async run(args) {
    const purged = await purgeExpiredOidcRecords();
    output(args, purged, () => Object.entries(purged).map(([k, v]) => `${k.padEnd(13)} ${v} deleted`));
  },
};

export const clientsRegistrationToken: CliCommand = {
  name: "clients registration-token",
  summary: "issue an initial access token for RFC 7591 dynamic registration (shown once)",
  usage: "clients registration-token [--host SLUG] [--days N] [--json]",
  async run(args) {
    const slug = flag(args, "host");
    const host = slug ? await findHostBySlug(slug) : null;
    if (slug && !host) throw new CliError(`no host organization "${slug}"`);
    const days = Number(flag(args, "days") ?? 7);
    if (!Number.isInteger(days) || days < 1 || days > 90) throw new CliError("--days is a whole number from 1 to 90");
    const issued = await issueInitialAccessToken({
      actor: cliActor,
      hostOrgId: host?.id ?? null,
      ttlDays: days,
    });
    output(
      args,
      {
        id: issued.id,
        initial_access_token: issued.token,
        host_org_id: issued.hostOrgId,
        expires_at: issued.expiresAt,
      },
      () => [
        `initial access token  ${issued.token}   (shown once)`,
        `expires               ${issued.expiresAt.toISOString()}`,
      ],
    );
  },
};
