import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { demoAccounts } from "../../../lib/seed/demo-accounts";
import { useSharedSession } from "../support/sign-in";
import { queryE2e } from "../support/database";
import { defined } from "../../support/defined";

/** Who may do what in governance, over HTTP, with the exact error codes. */
const release = () => ({
  kind: "release",
  title: "Permissions release",
  content: {
    releaseLineId: "rl_main",
    name: "Host",
    version: `0.${crypto.randomInt(1_000_000)}.0`,
    artifactUrl: "https://example.test/a.tgz",
    artifactSha256: "ab".repeat(32),
    notes: "",
  },
});

test("signed-out visitors read the public pages and exports but cannot propose or vote", async ({ page, request }) => {
  await page.goto("/governance");
  await expect(page.getByRole("heading", { name: "Governance" })).toBeVisible();
  await expect(page.getByTestId("roster")).toContainText(demoAccounts.members[0].name);
  const manifest = await request.get("/api/governance/release-manifest");
  expect(manifest.status()).toBe(200);
  expect(manifest.headers()["content-type"]).toContain("application/jose");
  const propose = await request.post("/api/governance/proposals", { data: release() });
  expect(propose.status()).toBe(401);
  expect((await propose.json()).error.code).toBe("UNAUTHENTICATED");
  const missing = await request.get("/api/governance/proposals/prop_missing/export.json");
  expect(missing.status()).toBe(404);
});

test("a user who is not on the roster cannot propose or vote; drafts stay private; only admins change rules; only the host's operator declares", async ({
  page,
  baseURL,
}) => {
  const origin = { origin: defined(baseURL) };
  await useSharedSession(page, demoAccounts.members[1].email);
  const draft = await page.request.post("/api/governance/proposals", {
    headers: origin,
    data: { ...release(), openNow: false },
  });
  expect(draft.status(), await draft.text()).toBe(201);
  const draftId = (await draft.json()).id as string;
  expect((await page.request.get(`/api/governance/proposals/${draftId}/export.json`)).status()).toBe(404);
  const open = await page.request.post("/api/governance/proposals", { headers: origin, data: release() });
  const openId = (await open.json()).id as string;
  const rules = await page.request.put("/api/governance/rules/release", {
    headers: origin,
    data: { type: "release", minWindowHours: 100, minBindingApprovals: 3 },
  });
  expect(rules.status()).toBe(403);

  const [host] = await queryE2e<{ id: string }>(`SELECT "id" FROM "Organization" WHERE "slug" = $1`, [
    demoAccounts.host.slug,
  ]);
  const notOperator = await page.request.put(`/api/governance/hosts/${host.id}/release`, {
    headers: origin,
    data: { releaseId: "rel_x" },
  });
  expect(notOperator.status()).toBe(403);

  await page.context().clearCookies();
  await useSharedSession(page, demoAccounts.hostOperator.email);
  const propose = await page.request.post("/api/governance/proposals", { headers: origin, data: release() });
  expect(propose.status()).toBe(403);
  const ballot = await page.request.post(`/api/governance/proposals/${openId}/ballot-options`, {
    headers: origin,
    data: { choice: 1, justification: null, digestConfirmed: true },
  });
  expect(ballot.status()).toBe(403);
  expect((await ballot.json()).error.reason).toBe("NOT_ON_ROSTER");
  const openOthers = await page.request.post(`/api/governance/proposals/${draftId}/open`, { headers: origin });
  expect(openOthers.status()).toBe(403);
  const unknownRelease = await page.request.put(`/api/governance/hosts/${host.id}/release`, {
    headers: origin,
    data: { releaseId: "rel_unknown" },
  });
  expect(unknownRelease.status()).toBe(422);
  expect((await unknownRelease.json()).error.reason).toBe("UNKNOWN_RELEASE");
});
