import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { compactVerify, createLocalJWKSet } from "jose";
import { demoAccounts, demoClosedVoteTitle } from "../../../lib/seed/demo-accounts";
import { checkPage, journeyTimeoutMs, reportPageTimes } from "../support/journey";
import { signInWithEmailCode } from "../support/sign-in";
import { e2eDatabaseUrl, queryE2e } from "../support/database";
import { registerPasskey } from "./passkey-voter";
import { baseURL as portalUrl } from "../../../playwright.config";
import { bundledCli } from "../../support/bundled-cli";
import { defined } from "../../support/defined";

const run = promisify(execFile);

/** The operator CLI's `governance verify ...` against the e2e database; resolves with the exit code and output. */
async function cliVerify(args: string[]): Promise<{ code: number; out: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-cli-"));
  try {
    const r = await run(process.execPath, [await bundledCli(), "governance", "verify", ...args], {
      env: {
        ...process.env,
        DATABASE_URL: e2eDatabaseUrl(),
        // The portal's public address names the log's key, as in an operator's shell beside the portal.
        PUBLIC_URL: portalUrl,
        DATA_DIR: dataDir,
        NODE_ENV: "development",
        LOG_LEVEL: "silent",
      },
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, out: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

test("three members sign +1 with passkeys; the release enters the signed manifest; verify passes, then fails after a ballot is edited", async ({
  browser,
  baseURL,
}, testInfo) => {
  // The member's journey (issue 17) too: the governance pages are checked at 1280 and 390 px.
  test.setTimeout(journeyTimeoutMs);
  const members = demoAccounts.members;
  const pages = [];
  for (const m of members) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Sessions of their own: adding a passkey needs a recent sign-in (limits.auth.recentAuthenticationMs).
    await signInWithEmailCode(page, m.email);
    await registerPasskey(page);
    pages.push(page);
  }

  const version = `9.${crypto.randomInt(1_000_000)}.0`;
  const sha256 = crypto.randomBytes(32).toString("hex");
  const created = await pages[0].request.post("/api/governance/proposals", {
    headers: { origin: defined(baseURL) },
    data: {
      kind: "release",
      title: `Release ${version}`,
      content: {
        releaseLineId: "rl_main",
        name: "Guildhall host",
        version,
        artifactUrl: `https://example.test/host-${version}.tgz`,
        artifactSha256: sha256,
        notes: "e2e",
      },
      openNow: true,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  await pages[0].goto("/governance");
  await checkPage(pages[0], testInfo, "governance");
  for (const [i, page] of pages.entries()) {
    await page.goto(`/governance/${id}`);
    await expect(page.getByTestId("artifact-digest")).toHaveText(sha256);
    await expect(page.getByTestId("sign-ballot")).toBeDisabled();
    if (i === 0) await checkPage(page, testInfo, "open release vote");
    await page.getByTestId("confirm-digest").check();
    await page.getByTestId("sign-ballot").click();
    await expect(page.getByTestId("vote-message")).toHaveText("Your signed ballot (+1) is recorded and counted.");
    await expect(page.getByTestId("current-vote")).toContainText("+1");
    await expect(page.getByTestId("progress")).toContainText(`${i + 1} of 3 binding +1 so far`);
  }

  // Nobody closes before the window; then the test clock lets 72 hours pass.
  const early = await pages[0].request.post(`/api/governance/proposals/${id}/close`, {
    headers: { origin: defined(baseURL) },
  });
  expect(early.status()).toBe(409);
  expect((await early.json()).error.reason).toBe("WINDOW_NOT_OVER");
  await queryE2e(
    `INSERT INTO "GovernanceClock" ("id", "offsetMs") VALUES (1, $1) ON CONFLICT ("id") DO UPDATE SET "offsetMs" = "GovernanceClock"."offsetMs" + $1`,
    [73 * 3_600_000],
  );

  await pages[0].reload();
  await pages[0].getByTestId("close-proposal").click();
  await expect(pages[0].getByTestId("outcome")).toContainText("Passed");
  await expect(pages[0].getByTestId("binding-plus")).toHaveText("3");
  await checkPage(pages[0], testInfo, "closed release vote");

  // The release is in the manifest, signed with a published key.
  const manifest = await (await pages[0].request.get("/api/governance/release-manifest")).text();
  const jwks = await (await pages[0].request.get("/api/governance/jwks")).json();
  const { payload } = await compactVerify(manifest, createLocalJWKSet(jwks));
  const body = JSON.parse(new TextDecoder().decode(payload));
  expect(body.releaseLines.find((l: { name: string }) => l.name === "main").releases).toContainEqual(
    expect.objectContaining({ version, sha256, proposalId: id }),
  );

  // Anyone can re-verify: from the public export, offline, and from the database.
  const signedOut = await browser.newContext({ baseURL });
  const publicPage = await signedOut.newPage();
  await publicPage.goto(`/governance/${id}`);
  await expect(publicPage.getByTestId("outcome")).toContainText("Passed");
  await expect(publicPage.getByTestId("ballots").getByText("verified")).toHaveCount(3);
  const exported = await (await signedOut.request.get(`/api/governance/proposals/${id}/export.json`)).text();
  await signedOut.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gh-export-")), "export.json");
  fs.writeFileSync(file, exported);
  const offline = await cliVerify([id, "--file", file]);
  expect(offline.out).toContain("VERIFIED");
  expect(offline.code).toBe(0);

  await queryE2e(
    `UPDATE "Ballot" SET "choice" = -1 WHERE "id" = (SELECT "id" FROM "Ballot" WHERE "proposalId" = $1 ORDER BY "castAt" LIMIT 1)`,
    [id],
  );
  const tampered = await cliVerify([id]);
  expect(tampered.code).toBe(1);
  expect(tampered.out).toContain("VERIFICATION FAILED");
  expect(tampered.out).toMatch(/CHALLENGE_MISMATCH|not the hash of the ballot/);
  for (const page of pages) await page.context().close();
  await reportPageTimes(testInfo);
});

test("the demo's closed vote is listed with its outcome, and its page shows the tally verified", async ({
  browser,
  baseURL,
}, testInfo) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/governance");
  const row = page.getByTestId("closed-proposals").getByRole("row", { name: new RegExp(demoClosedVoteTitle) });
  await expect(row).toContainText("passed");
  await row.getByRole("link", { name: demoClosedVoteTitle }).click();
  await expect(page.getByTestId("outcome")).toContainText("Passed: 3 binding +1 and no veto");
  await expect(page.getByTestId("progress")).toHaveText("3 of 3 binding +1 so far.");
  await expect(page.getByTestId("tally-verified")).toContainText("Tally verified");
  await expect(page.getByTestId("ballots").getByText("verified")).toHaveCount(4);
  await expect(page.getByText("No objection; I would rather we decide the archive's format first.")).toBeVisible();
  await checkPage(page, testInfo, "the demo's closed vote");
  // `governance verify` on it from the database: tests/integration/journeys/demo-activity.test.ts.
  await context.close();
  await reportPageTimes(testInfo);
});
