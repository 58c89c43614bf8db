"use server";

import { revalidatePath } from "next/cache";
import { requireAccess } from "@/lib/auth/require-access";
import { AppError } from "@/lib/errors/app-error";
import { formFields } from "@/app/action-result";
import { assertCleanText } from "@/lib/http/untrusted-text";
import { actionResult, type ActionResult } from "@/lib/oidc/http/action-result";
import { findHostBySlug } from "@/lib/oidc/clients/find-host-by-slug";
import { clientMetadataSchema } from "@/lib/oidc/clients/client-metadata";
import { registerHostClient } from "@/lib/oidc/clients/register-host-client";
import { rotateClientSecret } from "@/lib/oidc/clients/rotate-client-secret";

const lines = (v: FormDataEntryValue | null) =>
  String(v ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
const optional = (v: FormDataEntryValue | null) => (String(v ?? "").trim() === "" ? undefined : String(v).trim());
// A ticked checkbox sends "on", an unticked one nothing; any other value is passed on for the schema to refuse.
const ticked = (v: FormDataEntryValue | null) => (v === null ? false : v === "on" ? true : String(v));

// The slug and client id are bound into the page's forms, but a bound argument travels through the browser
// unsigned: they are checked as any other input before a lookup.
async function hostOperator(slug: string, clientId?: string) {
  assertCleanText({ slug, clientId }, "The request");
  const host = await findHostBySlug(slug);
  if (!host) throw new AppError("NOT_FOUND", { userMessage: "No such host." });
  const { actor } = await requireAccess({ membership: "HOST_OPERATOR", orgId: host.id });
  return { host, actor };
}

export async function registerClientAction(slug: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  return actionResult(async () => {
    const { host, actor } = await hostOperator(slug);
    formFields(form); // refuses a NUL byte or a lone surrogate in any field, before the fields are read one by one
    const jwksText = optional(form.get("jwks"));
    let jwks: unknown;
    if (jwksText) {
      try {
        jwks = JSON.parse(jwksText);
      } catch {
        return { error: "jwks: not valid JSON" };
      }
    }
    const metadata = await clientMetadataSchema.parseAsync({
      name: String(form.get("name") ?? ""),
      applicationType: form.get("applicationType") ?? "web",
      redirectUris: lines(form.get("redirectUris")),
      postLogoutRedirectUris: lines(form.get("postLogoutRedirectUris")),
      backchannelLogoutUri: optional(form.get("backchannelLogoutUri")),
      grantTypes: form.getAll("grantTypes").map(String),
      scopes: lines(form.get("scopes")),
      tokenEndpointAuthMethod: form.get("tokenEndpointAuthMethod") ?? "client_secret_basic",
      subjectType: form.get("subjectType") ?? "public",
      sectorIdentifier: optional(form.get("sectorIdentifier")),
      jwks,
      jwksUri: optional(form.get("jwksUri")),
      idTokenSignedResponseAlg: form.get("idTokenSignedResponseAlg") ?? "RS256",
      requirePushedAuthorizationRequests: ticked(form.get("requirePushedAuthorizationRequests")),
      requireSignedRequestObject: ticked(form.get("requireSignedRequestObject")),
      dpopBoundAccessTokens: ticked(form.get("dpopBoundAccessTokens")),
    });
    const { client, secret } = await registerHostClient({ hostOrgId: host.id, metadata, actor });
    revalidatePath(`/orgs/${slug}/clients`);
    return { ok: `Registered ${client.name}. It works once an org admin approves it.`, clientId: client.id, secret };
  });
}

export async function rotateSecretAction(
  slug: string,
  clientId: string,
  _prev: ActionResult,
  _form: FormData,
): Promise<ActionResult> {
  void _form;
  return actionResult(async () => {
    const { host, actor } = await hostOperator(slug, clientId);
    const { secret } = await rotateClientSecret({ hostOrgId: host.id, clientId, actor });
    return { ok: "New secret issued; the old one no longer works.", clientId, secret };
  });
}
