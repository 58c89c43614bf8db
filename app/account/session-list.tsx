"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";

type SessionRow = {
  id: string;
  device: string;
  ipAddress: string | null;
  method: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
};

/** The account's live sessions: end one, sign out here, or sign out everywhere. */
export function SessionList({ sessions }: { sessions: SessionRow[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(describeFailure(e));
      setBusy(false);
    }
  }

  return (
    <div className="space-y-4">
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <table className="table" data-testid="sessions">
        <thead>
          <tr>
            <th>Device</th>
            <th>Signed in</th>
            <th>Last seen</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} data-testid="session-row">
              <td>
                {s.device}
                {s.current && (
                  <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs text-green-900">this browser</span>
                )}
                {s.ipAddress && <div className="text-xs text-stone-500">{s.ipAddress}</div>}
              </td>
              <td>
                {s.createdAt}
                <div className="text-xs text-stone-500">{s.method === "passkey" ? "passkey" : "email code"}</div>
              </td>
              <td>{s.lastSeenAt}</td>
              <td className="text-right">
                {!s.current && (
                  <Button
                    type="button"
                    className="text-sm text-red-700 underline"
                    disabled={busy}
                    onClick={() =>
                      void act(async () => {
                        await callApi("DELETE", `/api/account/sessions/${s.id}`);
                        router.refresh();
                        setBusy(false);
                      })
                    }
                  >
                    End
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex flex-wrap gap-3">
        <Button
          type="button"
          className="btn-secondary"
          disabled={busy}
          onClick={() => void act(() => signOut({ callbackUrl: "/" }))}
        >
          Sign out here
        </Button>
        <Button
          type="button"
          className="btn"
          disabled={busy}
          onClick={() => {
            if (!window.confirm("Sign out of every browser and device, this one included?")) return;
            // The server ends every session; signOut then clears this browser's cookie.
            void act(async () => {
              await callApi("POST", "/api/account/sessions/end-all");
              await signOut({ callbackUrl: "/sign-in" });
            });
          }}
        >
          Sign out everywhere
        </Button>
      </div>
    </div>
  );
}
