import { describe, expect, it, vi } from "vitest";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { env } from "@/lib/config/env";
import { suspendLicense } from "@/lib/licensing/suspend-license";
import { reinstateLicense } from "@/lib/licensing/reinstate-license";
import { revokeLicense } from "@/lib/licensing/revoke-license";
import { theaterSubject } from "@/lib/federation/trust-marks";
import { seedActiveLicense } from "@/tests/integration/licensing/helpers";
import { GET as getTrustMark } from "@/app/federation/trust-mark/route";
import { POST as trustMarkStatus } from "@/app/federation/trust-mark-status/route";
import { trustMarkStatusAtHand } from "@/lib/federation/trust-marks";
import { invalidationFeed } from "@/lib/db/invalidation-feed";
import { postToTrustMarkStatusLane } from "@/tests/integration/federation/helpers";

const ctx = { params: Promise.resolve({}) };
const system = { type: "system" as const, id: "test" };
const type = () => `${env().publicUrl}/trust-marks/licensed-theater`;

function requestMark(query: Record<string, string>) {
  return getTrustMark(new Request(`http://localhost/federation/trust-mark?${new URLSearchParams(query)}`), ctx);
}

const FORM = "application/x-www-form-urlencoded";

function postStatus(body: string, contentType = FORM) {
  return trustMarkStatus(
    new Request("http://localhost/federation/trust-mark-status", {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    }),
    ctx,
  );
}

async function statusOf(trustMark: string, contentType = FORM) {
  const res = await postStatus(new URLSearchParams({ trust_mark: trustMark }).toString(), contentType);
  return res.status === 200 ? decodeJwt(await res.text()).status : res.status;
}

describe("the licensed-theater trust mark", () => {
  it("is issued for a license in force with its id, plan and end, and withdrawn at once by suspension and revocation", async () => {
    const { license, org, plan } = await seedActiveLicense();
    const sub = theaterSubject(org.id);
    const res = await requestMark({ trust_mark_type: type(), sub, license_id: license.id });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/trust-mark+jwt");
    const mark = await res.text();
    expect(decodeProtectedHeader(mark).typ).toBe("trust-mark+jwt");
    const claims = decodeJwt(mark);
    expect(claims).toMatchObject({
      iss: env().publicUrl,
      sub,
      trust_mark_type: type(),
      license_id: license.id,
      plan: plan.name,
    });
    expect(await statusOf(mark)).toBe("active");

    await suspendLicense({ licenseId: license.id, reason: "Unpaid", actor: system });
    expect(await statusOf(mark)).toBe("revoked");
    expect((await requestMark({ trust_mark_type: type(), sub, license_id: license.id })).status).toBe(404);
    await reinstateLicense({ licenseId: license.id, reason: "Paid", actor: system });
    expect(await statusOf(mark)).toBe("active");
    await revokeLicense({ licenseId: license.id, reason: "Breach", actor: system });
    expect(await statusOf(mark)).toBe("revoked");
  });

  it("refuses a mark for another theater's subject, a tampered mark and a request that is not form-encoded", async () => {
    const { license, org } = await seedActiveLicense();
    const other = await seedActiveLicense();
    const wrong = await requestMark({
      trust_mark_type: type(),
      sub: theaterSubject(other.org.id),
      license_id: license.id,
    });
    expect(wrong.status).toBe(404);
    expect((await wrong.json()).error).toBe("not_found");
    const mark = await (
      await requestMark({ trust_mark_type: type(), sub: theaterSubject(org.id), license_id: license.id })
    ).text();
    const [h, p, s] = mark.split(".");
    const tampered = JSON.parse(Buffer.from(p, "base64url").toString());
    tampered.license_id = other.license.id;
    tampered.sub = theaterSubject(other.org.id);
    expect(await statusOf(`${h}.${Buffer.from(JSON.stringify(tampered)).toString("base64url")}.${s}`)).toBe("invalid");
    expect(await statusOf(mark, "application/json")).toBe(400);
    expect(await statusOf("not-a-jwt")).toBe(400);
  });

  it("answers through the fast lane as through Next, and refuses hostile input on both with 400", async () => {
    const { license, org } = await seedActiveLicense();
    const mark = await (
      await requestMark({ trust_mark_type: type(), sub: theaterSubject(org.id), license_id: license.id })
    ).text();
    const next = await postStatus(`trust_mark=${mark}`);
    const signed = await next.text();
    expect(decodeJwt(signed).status).toBe("active");
    // With the feed live (Postgres), the signed answer is then at hand, and the lane sends that same one.
    expect(trustMarkStatusAtHand(mark)).toBe(invalidationFeed.live ? signed : undefined);
    const lane = await postToTrustMarkStatusLane(`trust_mark=${mark}`);
    expect(lane).toEqual({ status: 200, contentType: next.headers.get("content-type"), text: signed });
    // Not at hand once the standing is due to be read again (a suspension elsewhere is then seen even unnotified).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 10_001 });
    expect(trustMarkStatusAtHand(mark)).toBeUndefined();
    vi.useRealTimers();
    const hostile = [
      { body: `trust_mark=${mark}&trust_mark=${mark}`, why: "repeated" },
      { body: `trust_mark=${mark}&note=%00`, why: "NUL byte" },
      { body: `trust_mark=${mark}%E0%A4%A`, why: "malformed escape" },
      { body: `trust_mark=${mark}&pad=${"a".repeat(17 * 1024)}`, why: "too large" },
      { body: `trust_mark=${mark}`, contentType: "text/plain", why: "not form-encoded" },
      { body: "trust_mark=", why: "empty" },
    ];
    for (const { body, contentType, why } of hostile) {
      expect((await postStatus(body, contentType)).status, `Next: ${why}`).toBe(400);
      expect((await postToTrustMarkStatusLane(body, contentType)).status, `lane: ${why}`).toBe(400);
    }
  });
});
