/** One signed configuration version as the answer: the JWS itself, its version and digest in headers. */
export function serviceConfigurationResponse(
  c: { version: number; jws: string; digest: string },
  cacheControl: string,
): Response {
  return new Response(c.jws, {
    headers: {
      "content-type": "application/jose",
      "cache-control": cacheControl,
      etag: `"${c.digest}"`,
      "x-configuration-version": String(c.version),
      "access-control-allow-origin": "*",
    },
  });
}
