import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { safeCallbackPath } from "@/lib/auth/safe-callback-path";
import { SignUpForm } from "@/app/sign-up/sign-up-form";
import { InvitationContext } from "@/app/invitations/invitation-context";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);
  if (await getCurrentSession()) redirect(callbackPath);
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-semibold">Create your Guildhall account</h1>
      <InvitationContext callbackPath={callbackPath} />
      <p className="text-sm text-stone-700">
        Guildhall signs you in with a passkey: your device keeps the key and checks it is you (fingerprint, face or
        PIN). No password to remember or leak. We will email you a code to confirm your address.
      </p>
      <SignUpForm callbackPath={callbackPath} />
      <p className="text-sm text-stone-600">
        Already have an account?{" "}
        <Link className="text-accent underline" href={`/sign-in?callbackUrl=${encodeURIComponent(callbackPath)}`}>
          Sign in
        </Link>
        .
      </p>
    </div>
  );
}
