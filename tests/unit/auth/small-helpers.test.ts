import { describe, expect, it } from "vitest";
import { describeUserAgent } from "@/lib/auth/describe-user-agent";
import { decodeSignInError, encodeSignInError } from "@/lib/auth/sign-in-error";
import { isLoopbackAddress, isLoopbackHost } from "@/lib/http/loopback";
import { userHandleBytes, userHandleOf } from "@/lib/auth/webauthn-user-handle";
import { challengeOfClientData } from "@/lib/auth/webauthn-challenges";

describe("describeUserAgent", () => {
  it("names common browsers and systems", () => {
    expect(
      describeUserAgent(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
      ),
    ).toBe("Chrome on Linux");
    expect(
      describeUserAgent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
      ),
    ).toBe("Safari on iOS");
    expect(
      describeUserAgent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Edg/140.0",
      ),
    ).toBe("Edge on Windows");
    expect(describeUserAgent("Mozilla/5.0 (Android 15; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0")).toBe(
      "Firefox on Android",
    );
    expect(describeUserAgent(undefined)).toBe("Unknown device");
  });
});

describe("sign-in error codec", () => {
  it("round-trips our code and message, and degrades for next-auth's own names", () => {
    expect(decodeSignInError(encodeSignInError({ code: "RATE_LIMITED", message: "Too many attempts." }))).toEqual({
      code: "RATE_LIMITED",
      message: "Too many attempts.",
    });
    expect(decodeSignInError("CredentialsSignin")).toEqual({
      code: "UNAUTHENTICATED",
      message: "Sign-in failed. Try again.",
    });
    expect(decodeSignInError(null)).toBeNull();
  });
});

describe("loopback", () => {
  it("knows loopback addresses and hosts", () => {
    for (const a of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ["10.0.0.1", "192.168.1.5", "::ffff:10.0.0.1", "fe80::1", "", undefined, "localhost", "128.0.0.1"])
      expect(isLoopbackAddress(a), String(a)).toBe(false);
    for (const h of ["localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "[::1]"])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["guildhall.example", "localhost.example", "10.0.0.1"]) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe("WebAuthn helpers", () => {
  it("encodes the user handle as the id's bytes", () => {
    expect(Buffer.from(userHandleBytes("usr_abc")).toString()).toBe("usr_abc");
    expect(Buffer.from(userHandleOf("usr_abc"), "base64url").toString()).toBe("usr_abc");
  });

  it("reads the challenge out of clientDataJSON, and nothing out of garbage", () => {
    const clientData = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge: "abc123" })).toString("base64url");
    expect(challengeOfClientData(clientData)).toBe("abc123");
    expect(challengeOfClientData("not base64 json")).toBe("");
    expect(challengeOfClientData(Buffer.from("[1]").toString("base64url"))).toBe("");
  });
});
