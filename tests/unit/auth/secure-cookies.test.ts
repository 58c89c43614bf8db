import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import type { NextAuthOptions } from "next-auth";
import { resetEnvForTests } from "@/lib/config/env";
import { nextAuthOptions } from "@/lib/auth/next-auth-options";

/**
 * Which cookies next-auth sets under our options: Secure (with the
 * __Host-/__Secure- prefixes) when the portal is served from anywhere but
 * localhost, always HttpOnly and SameSite=Lax. The Playwright spec checks the
 * real Set-Cookie header of a localhost sign-in.
 */
const saved = { ...process.env };

// next-auth's core handler, the part of the route handler that decides cookies. Its
// package does not export "./core", so it is loaded by file, typed by what this test uses.
type CoreHandler = (p: {
  req: Record<string, unknown>;
  options: NextAuthOptions;
}) => Promise<{ cookies?: { name: string; options: Record<string, unknown> }[] }>;
const { AuthHandler } = createRequire(import.meta.url)(path.resolve("node_modules/next-auth/core/index.js")) as {
  AuthHandler: CoreHandler;
};

function configure(publicUrl: string) {
  process.env.PUBLIC_URL = publicUrl;
  process.env.AUTH_SECRET = "unit-test-auth-secret-0123456789abcdef0123";
  process.env.MASTER_KEY = Buffer.alloc(32, 3).toString("base64");
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "gh-unit-"));
  delete process.env.NEXTAUTH_URL;
  resetEnvForTests();
}

async function csrfCookie(publicUrl: string) {
  configure(publicUrl);
  const res = await AuthHandler({
    req: { action: "csrf", method: "GET", origin: publicUrl, headers: {}, cookies: {}, query: {}, body: {} },
    options: nextAuthOptions(),
  });
  return res.cookies?.find((c) => c.name.endsWith("next-auth.csrf-token"));
}

afterEach(() => {
  process.env = { ...saved };
  resetEnvForTests();
});

describe("session cookies", () => {
  it("are Secure with prefixed names when served over https from a real host", async () => {
    const cookie = await csrfCookie("https://guildhall.example");
    expect(cookie).toMatchObject({
      name: "__Host-next-auth.csrf-token",
      options: { secure: true, httpOnly: true, sameSite: "lax", path: "/" },
    });
    expect(nextAuthOptions().useSecureCookies).toBe(true);
  });

  it("are not Secure on localhost, where the browser treats http as secure enough for development", async () => {
    const cookie = await csrfCookie("http://localhost:3000");
    expect(cookie).toMatchObject({
      name: "next-auth.csrf-token",
      options: { secure: false, httpOnly: true, sameSite: "lax" },
    });
  });
});
