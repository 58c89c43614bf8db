// Must load before any Next module: it installs the AsyncLocalStorage global that Next's request scope needs.
import "next-test-api-route-handler";
import { beforeAll, describe, expect, it } from "vitest";
import { CompactSign, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { newId } from "@/lib/ids";
import { handleTokenRequest } from "@/lib/oidc/tokens/handle-token-request";
import { federationHostClientId } from "@/lib/oidc/clients/set-federation-host-client";
import { closeProposal } from "@/lib/governance/close-proposal";
import { advanceTestClock } from "@/lib/governance/clock";
import { PUT as declareRelease } from "@/app/api/governance/hosts/[orgId]/release/route";
import { POST as postUsageReport } from "@/app/api/federation/usage-reports/route";
import {
  HOUR_MS,
  openRelease,
  seedVoter,
  useTestClock,
  vote,
  type Voter,
} from "@/tests/integration/governance/helpers";
import { usagePeriodShifted } from "@/lib/splits/usage-period";
import { admitHost, passProposal, system } from "./helpers";
import { reportHostUsage } from "@/lib/splits/report-host-usage";
import { callRoute, sessionCookieFor } from "@/tests/support/route-harness";
import * as usageFormRoute from "@/app/api/orgs/[slug]/usage/route";

// Usage is reported for a closed month, not before the host joined: the last month, by a host that joined before it.
const period = usagePeriodShifted(new Date(), -1);

useTestClock();

type Host = Awaited<ReturnType<typeof admitHost>>;

async function tokenFor(host: Host, key: CryptoKey = host.privateKey, scope = "release:declare usage:report") {
  const clientId = federationHostClientId(host.org.id);
  const assertion = await new SignJWT({ jti: newId("j") })
    .setProtectedHeader({ alg: "ES256", kid: host.kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(`${env().publicUrl}/oidc/token`)
    .setIssuedAt()
    .setExpirationTime("2m")
    .sign(key);
  return handleTokenRequest(new Request(`${env().publicUrl}/oidc/token`, { method: "POST" }), {
    grant_type: "client_credentials",
    scope,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  });
}

function declare(orgId: string, releaseId: string, token: string) {
  return declareRelease(
    new Request(`http://localhost/api/governance/hosts/${orgId}/release`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ releaseId }),
    }),
    { params: Promise.resolve({ orgId }) },
  );
}

async function signedReport(
  host: { entityId: string; kid: string },
  key: CryptoKey,
  claims: Record<string, unknown> = {},
) {
  const payload = {
    iss: host.entityId,
    aud: env().publicUrl,
    period,
    units: 120,
    iat: Math.floor(Date.now() / 1000),
    ...claims,
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "ES256", kid: host.kid, typ: "guildhall-usage-report+jws" })
    .sign(key);
}

function report(jws: string) {
  return postUsageReport(
    new Request("http://localhost/api/federation/usage-reports", {
      method: "POST",
      headers: { "content-type": "application/jose" },
      body: jws,
    }),
    { params: Promise.resolve({}) },
  );
}

describe("host credentials", () => {
  let voters: Voter[];
  let host: Host;
  let other: Host;
  let releaseId: string;
  beforeAll(async () => {
    voters = [await seedVoter(), await seedVoter(), await seedVoter()];
    host = await admitHost(voters);
    other = await admitHost(voters);
    await db().organization.updateMany({
      where: { id: { in: [host.org.id, other.org.id] } },
      data: { createdAt: new Date(Date.now() - 62 * 86_400_000) },
    });
    const release = await openRelease(voters[0]);
    for (const v of voters) await vote(v, release.id, 1);
    await advanceTestClock(72 * HOUR_MS);
    await closeProposal({ proposalId: release.id, actor: system });
    releaseId = (await db().release.findUniqueOrThrow({ where: { proposalId: release.id } })).id;
  });

  it("admission binds the host's machine credentials to its declared keys: a token by private_key_jwt, no secret", async () => {
    const client = await db().oidcClient.findUniqueOrThrow({ where: { id: federationHostClientId(host.org.id) } });
    expect(client).toMatchObject({
      hostOrgId: host.org.id,
      tokenEndpointAuthMethod: "private_key_jwt",
      secretHash: null,
      status: "approved",
      jwks: { keys: [host.publicJwk] },
    });
    expect((await tokenFor(host)).scope).toBe("release:declare usage:report");
    const impostor = await generateKeyPair("ES256");
    await expect(tokenFor(host, impostor.privateKey)).rejects.toMatchObject({ error: "invalid_client" });
  });

  it("a host declares its release with its own token; another host's token is refused", async () => {
    const { access_token } = await tokenFor(host);
    const ok = await declare(host.org.id, releaseId, String(access_token));
    expect(ok.status).toBe(200);
    const row = await db().hostReleaseDeclaration.findFirstOrThrow({ where: { hostOrgId: host.org.id } });
    expect(row.declaredById).toBe(federationHostClientId(host.org.id));

    const { access_token: othersToken } = await tokenFor(other);
    const refused = await declare(host.org.id, releaseId, String(othersToken));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.reason).toBe("WRONG_HOST");
    const withoutScope = await tokenFor(host, host.privateKey, "usage:report");
    expect((await declare(host.org.id, releaseId, String(withoutScope.access_token))).status).toBe(403);
  });

  it("a signed usage report is kept with its signature; a replay, another key or a stranger is refused and changes nothing", async () => {
    const jws = await signedReport(host, host.privateKey);
    const res = await report(jws);
    expect(res.status).toBe(201);
    const stored = await db().hostUsageReport.findUniqueOrThrow({
      where: { hostOrgId_period: { hostOrgId: host.org.id, period } },
    });
    expect(stored).toMatchObject({ units: 120, signedReport: jws, signedKid: host.kid });

    const replay = await report(jws);
    expect(replay.status).toBe(409);
    expect((await replay.json()).error.reason).toBe("REPORT_REPLAYED");
    const impostor = await generateKeyPair("ES256");
    const forged = await report(
      await signedReport(host, impostor.privateKey, { units: 9999, iat: Math.floor(Date.now() / 1000) + 1 }),
    );
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.reason).toBe("BAD_SIGNATURE");
    const stranger = await report(
      await signedReport({ entityId: "https://stranger.example.test", kid: "x" }, impostor.privateKey),
    );
    expect(stranger.status).toBe(403);
    const stale = await report(
      await signedReport(host, host.privateKey, { iat: Math.floor(Date.now() / 1000) - 3600 }),
    );
    expect((await stale.json()).error.reason).toBe("STALE_REPORT");
    expect((await report("not a jws")).status).toBe(400);
    // Money moves by these figures: a federation member's operator cannot report through the unsigned form,
    // and no unsigned report replaces a signed one.
    const form = await callRoute(usageFormRoute, {
      method: "POST",
      url: `/api/orgs/${host.org.slug}/usage`,
      params: { slug: host.org.slug },
      headers: {
        cookie: await sessionCookieFor(host.operator.id),
        origin: env().publicUrl,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify({ period, units: 5000 }),
    });
    expect(form.status).toBe(403);
    expect((await form.json()).error.reason).toBe("SIGNED_REPORT_REQUIRED");
    await expect(reportHostUsage({ actor: system, hostOrgId: host.org.id, period, units: 5000 })).rejects.toMatchObject(
      {
        reason: "SIGNED_REPORT_EXISTS",
      },
    );
    const after = await db().hostUsageReport.findUniqueOrThrow({
      where: { hostOrgId_period: { hostOrgId: host.org.id, period } },
    });
    expect(after).toMatchObject({ units: 120, signedReport: jws });
  });

  it("a removal vote revokes the credentials: no new token, and the last one stops working", async () => {
    const { access_token } = await tokenFor(other);
    await passProposal(voters, {
      kind: "host_removal",
      title: "Remove the other host",
      content: { hostOrgId: other.org.id, reason: "Left" },
    });
    await expect(tokenFor(other)).rejects.toMatchObject({ error: "invalid_client" });
    expect((await declare(other.org.id, releaseId, String(access_token))).status).toBe(401);
    const report403 = await report(await signedReport(other, other.privateKey));
    expect(report403.status).toBe(403);
  });
});
