import NextAuth from "next-auth";
import { nextAuthOptions } from "@/lib/auth/next-auth-options";

async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  // next-auth 4 reads params synchronously; Next 16 hands them over as a promise.
  return NextAuth(req as never, { params: await ctx.params } as never, nextAuthOptions());
}

export { handler as GET, handler as POST };
