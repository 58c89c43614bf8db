import type { Metadata } from "next";
import { redirect } from "next/navigation";
import Link from "next/link";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { safeCallbackPath } from "@/lib/auth/safe-callback-path";
import { SignInForm } from "@/app/sign-in/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);
  if (await getCurrentSession()) redirect(callbackPath);
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-semibold">Sign in to Guildhall</h1>
      <SignInForm callbackPath={callbackPath} />
      <p className="text-sm text-stone-600">
        New here? <Link className="text-accent underline" href={`/sign-up?callbackUrl=${encodeURIComponent(callbackPath)}`}>Create an account with a passkey</Link>.
      </p>
    </div>
  );
}
