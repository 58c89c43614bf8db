import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/app/api/v1/openapi-document";
import { checkoutResponseSchema } from "@/app/api/v1/checkouts/schemas";
import { checkoutApiFailureReasons } from "@/lib/payments/failure-reasons";

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
