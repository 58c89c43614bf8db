import NextAuth from "next-auth";
import { nextAuthOptions } from "@/lib/auth/next-auth-options";
import { apiRoute } from "@/lib/http/api-route";
import { assertCleanQuery, malformedInput } from "@/lib/http/untrusted-text";

/**
 * next-auth's endpoints behind the edge checks of apiRoute (query and path).
 * Its own client posts only forms; it would parse a JSON body with req.json()
 * (a 500 on a body that does not parse) and pass a form's text on unchecked,
 * so a POST is a clean form or a 400. Its CSRF token stands in for the Origin
 * check (crossOrigin), as before.
 */
const handler = apiRoute<{ nextauth: string[] }>(
  async (req, { params }) => {
    if (req.method === "POST") {
      const type = (req.headers.get("content-type") ?? "").toLowerCase();
      if (!type.startsWith("application/x-www-form-urlencoded"))
        throw malformedInput("The request body must be a form.");
      assertCleanQuery(await req.clone().text());
    }
    // next-auth 4 reads params synchronously; Next 16 hands them over as a promise.
    return NextAuth(req as never, { params } as never, nextAuthOptions());
  },
  { crossOrigin: true },
);

export { handler as GET, handler as POST };
