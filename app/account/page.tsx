import type { Metadata } from "next";
import { listForkOrigins, originOfRecord } from "@/lib/portability/list-fork-origins";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { listPasskeys } from "@/lib/auth/list-passkeys";
import { listSessions } from "@/lib/auth/list-sessions";
import { formatTime } from "@/app/format-time";
import { ProfileForm } from "@/app/account/profile-form";
import { EmailVerification } from "@/app/account/email-verification";
import { PasskeyList } from "@/app/account/passkey-list";
import { SessionList } from "@/app/account/session-list";
import { PasskeySignals } from "@/app/account/passkey-signals";
import { relyingParty } from "@/lib/auth/relying-party";
import { userHandleOf } from "@/lib/auth/webauthn-user-handle";
import { BallotReceipts } from "@/app/account/ballot-receipts";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { session } = await requirePageAccess("signed-in", "/account");
  const welcome = (await searchParams).welcome === "1";
  const [passkeys, sessions, forks] = await Promise.all([
    listPasskeys(session.userId),
    listSessions({ userId: session.userId, currentSessionId: session.id }),
    listForkOrigins(),
  ]);
  const user = session.user;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Your account</h1>
        <p className="text-sm text-stone-600">
          Signed in as {user.email} since {formatTime(session.authTime)} with{" "}
          {session.authMethod === "passkey" ? "a passkey" : "an email code"}.
        </p>
      </div>
      <PasskeySignals
        rpID={relyingParty().rpID}
        userID={userHandleOf(user.id)}
        credentialIDs={passkeys.map((p) => p.credentialId)}
        userName={user.email}
        userDisplayName={user.name ?? user.email}
      />
      {welcome && (
        <p className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-900" data-testid="welcome">
          Welcome to Guildhall. Your account and its first passkey are ready.
        </p>
      )}
      {!user.emailVerifiedAt && <EmailVerification email={user.email} />}
      <p className="text-sm text-stone-600" data-testid="your-data-links">
        <a href="/account/purchases">Your purchases and receipts</a> · <a href="/account/funding">Your funding</a> ·{" "}
        <a href="/account/export">Download your data</a> · <a href="/account/delete">Delete your account</a>
      </p>
      <section className="card space-y-4">
        <h2 className="text-lg font-semibold">Profile</h2>
        <ProfileForm name={user.name ?? ""} email={user.email} />
      </section>
      <section className="card space-y-4" id="passkeys">
        <h2 className="text-lg font-semibold">Passkeys</h2>
        <PasskeyList
          passkeys={passkeys.map((p) => ({
            id: p.id,
            name: p.name,
            createdAt: formatTime(p.createdAt),
            lastUsedAt: formatTime(p.lastUsedAt),
            synced: p.deviceType === "multiDevice",
            origin: originOfRecord(forks, p.createdAt),
          }))}
        />
      </section>
      <BallotReceipts userId={session.userId} />
      <section className="card space-y-4">
        <h2 className="text-lg font-semibold">Where you are signed in</h2>
        <SessionList
          sessions={sessions.map((s) => ({
            id: s.id,
            device: s.device,
            ipAddress: s.ipAddress,
            method: s.authMethod,
            createdAt: formatTime(s.createdAt),
            lastSeenAt: formatTime(s.lastSeenAt),
            current: s.current,
          }))}
        />
      </section>
    </div>
  );
}
