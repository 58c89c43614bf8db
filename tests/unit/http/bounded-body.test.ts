import { describe, expect, it } from "vitest";
import { assertBodyWithin } from "@/lib/http/bounded-body";

/** A POST whose body streams in `chunks` pieces of `size` bytes, with no Content-Length (as a chunked upload). */
function streamed(chunks: number, size: number): { request: Request; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size));
    },
  });
  const request = new Request("http://localhost/api/x", { method: "POST", body, duplex: "half" } as RequestInit);
  return { request, pulled: () => pulled };
}

describe("the body-size bound", () => {
  it("refuses a declared Content-Length over the bound without reading the body", async () => {
    const request = new Request("http://localhost/api/x", {
      method: "POST",
      body: "x".repeat(2048),
      headers: { "content-length": "2048" },
    });
    await expect(assertBodyWithin(request, 1024)).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      statusCode: 413,
      reason: "BODY_TOO_LARGE",
    });
  });

  it("stops reading a streamed body at the first chunk past the bound", async () => {
    const { request, pulled } = streamed(10_000, 1024); // 10 MB offered
    await expect(assertBodyWithin(request, 64 * 1024)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(pulled()).toBeLessThan(80);
  });

  it("leaves a body within the bound unread for the handler", async () => {
    const { request } = streamed(4, 1024);
    await assertBodyWithin(request, 4096);
    expect((await request.arrayBuffer()).byteLength).toBe(4096);
    await assertBodyWithin(new Request("http://localhost/api/x"), 0); // a GET has no body to bound
  });
});
