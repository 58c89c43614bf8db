import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { errorToResponse } from "@/lib/http/api-route";
import { defined } from "../../support/defined";

const ctx = { requestId: "req_test" };

describe("errorToResponse", () => {
  it("maps a validation error to 400 with the field named in words, and its path as the reason", async () => {
    const e = defined(z.object({ email: z.email() }).safeParse({ email: "x" }).error);
    const res = errorToResponse(e, ctx);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("VALIDATION_FAILED");
    expect(body.error).toEqual({
      code: "VALIDATION_FAILED",
      message: "Email must be an email address, like name@example.org.",
      reason: "email",
    });
  });

  it("maps an AppError to its status and user message, with its reason", async () => {
    const res = errorToResponse(
      new AppError("RATE_LIMITED", { message: "internal detail", userMessage: "Slow down.", reason: "mail-ip" }),
      ctx,
    );
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: { code: "RATE_LIMITED", message: "Slow down.", reason: "mail-ip" } });
  });

  it("hides the message of an unexpected error behind a plain 500 with the request id", async () => {
    const res = errorToResponse(new Error("connection string postgres://secret@db"), ctx);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret");
    expect(JSON.parse(text)).toEqual({
      error: { code: "INTERNAL", message: "Something went wrong (request req_test)." },
    });
    expect(res.headers.get("x-request-id")).toBe("req_test");
  });
});
