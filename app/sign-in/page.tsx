import type { Metadata } from "next";
import { redirect } from "next/navigation";
import Link from "next/link";
import { getCurrentSession } from "@/lib/auth/get-current-session";
import { safeCallbackPath } from "@/lib/auth/safe-callback-path";
import { devMailboxExists } from "@/lib/mail/dev-mailbox-access";
import { relyingParty } from "@/lib/auth/relying-party";
import { SignInForm } from "@/app/sign-in/sign-in-form";
import { InvitationContext } from "@/app/invitations/invitation-context";
import { RequestingAppContext } from "@/app/sign-in/requesting-app-context";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);
  // prompt=login: an OpenID client asked for a fresh sign-in, so a signed-in user still sees the form.
  if (params.prompt !== "login" && (await getCurrentSession())) redirect(callbackPath);
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-semibold">Sign in to Guildhall</h1>
      <InvitationContext callbackPath={callbackPath} />
      <RequestingAppContext callbackPath={callbackPath} />
      <SignInForm callbackPath={callbackPath} rpID={relyingParty().rpID} />
      {devMailboxExists() && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="dev-mailbox-hint">
          This portal runs on its embedded database without an SMTP server, so sign-in codes are not emailed: read them
          in the dev mailbox, whose link (with its key) the portal printed in the terminal where it was started, or with{" "}
          <code>npm run cli -- mail last --to EMAIL</code>. The demo accounts are listed there too.
        </p>
      )}
      <p className="text-sm text-stone-600">
        New here?{" "}
        <Link className="text-accent underline" href={`/sign-up?callbackUrl=${encodeURIComponent(callbackPath)}`}>
          Create an account with a passkey
        </Link>
        .
      </p>
    </div>
  );
}
