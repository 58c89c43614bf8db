import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/app/api/v1/openapi-document";
import { checkoutResponseSchema } from "@/app/api/v1/checkouts/schemas";
import { checkoutApiFailureReasons } from "@/lib/payments/failure-reasons";
import { refundRequestSchema } from "@/app/api/finance/orders/[id]/refund/schemas";

describe("the ticket-sale API's OpenAPI document", () => {
  const doc = openApiDocument();

  it("describes the bodies with the schemas the routes parse", () => {
    const body = doc.paths["/api/v1/checkouts"].post.requestBody.content["application/json"].schema as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(body.required).toEqual(["theaterOrgId", "showId", "description", "currency", "lineItems"]);
    expect(Object.keys(body.properties)).toEqual([
      "theaterOrgId",
      "showId",
      "externalRef",
      "description",
      "currency",
      "lineItems",
      "amountMinor",
      "buyerAccessToken",
    ]);
    const checkout = doc.components.schemas.Checkout as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(Object.keys(checkout.properties)).toEqual(Object.keys(checkoutResponseSchema.shape));
    expect(checkout.additionalProperties).toBe(false);
  });

  it("publishes the closed list of failure reasons", () => {
    expect(doc.components.schemas.Error.properties.error.properties.reason.enum).toEqual(
      Object.keys(checkoutApiFailureReasons),
    );
  });

  it("answers only the fields of the response schema", () => {
    const answered = checkoutResponseSchema.parse({
      id: "ord_1",
      status: "paid",
      productKind: "TICKET_SALE",
      theaterOrgId: "org_1",
      amountMinor: 5000,
      currency: "EUR",
      refundedMinor: 0,
      url: null,
      fulfilment: { kind: "ticket", showId: "s" },
      createdAt: "2026-12-06T00:00:00.000Z",
      paidAt: null,
      receipt: null,
      createdById: "client_secret_holder",
    });
    expect(answered).not.toHaveProperty("createdById");
  });
});

describe("the refund operation in the whole API's document", () => {
  const refund = openApiDocument("all").paths["/api/finance/orders/{id}/refund"].post;

  it("lets the Idempotency-Key header stand in for the body's requestKey", () => {
    const body = refund.requestBody.content["application/json"].schema as {
      required: string[];
      properties: Record<string, unknown>;
    };
    expect(body.required).toEqual(["amountMinor", "reason"]);
    expect(Object.keys(body.properties)).toContain("requestKey");
    const header = (refund.parameters as { in: string; name: string; required?: boolean }[]).find(
      (p) => p.in === "header" && p.name === "Idempotency-Key",
    );
    expect(header?.required ?? false).toBe(false);
  });

  it("still requires a key from one of them where the route parses the submission", () => {
    const submission = { amountMinor: 100, reason: "damaged seat" };
    expect(refundRequestSchema.safeParse(submission).success).toBe(false);
    expect(refundRequestSchema.parse({ ...submission, requestKey: "header-key-1" }).requestKey).toBe("header-key-1");
  });
});
