"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi, describeFailure } from "@/app/call-api";
import { Button } from "@/app/button";
import { formText } from "@/app/form-text";

export function ProfileForm({ name: initialName, email }: { name: string; email: string }) {
  const router = useRouter();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = formText(e.currentTarget, "name");
    setBusy(true);
    try {
      await callApi("PATCH", "/api/account", { name });
      setStatus({ ok: true, text: "Saved." });
      router.refresh();
    } catch (err) {
      setStatus({ ok: false, text: describeFailure(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={save} className="grid max-w-md gap-3">
      <div>
        <span className="label">Email address</span>
        <p className="text-sm">{email}</p>
      </div>
      <div>
        <label className="label" htmlFor="profile-name">
          Name
        </label>
        <input id="profile-name" className="input" required maxLength={100} name="name" defaultValue={initialName} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" className="btn" disabled={busy}>
          Save
        </Button>
        {status && (
          <span role="status" className={status.ok ? "text-sm text-green-800" : "text-sm text-red-800"}>
            {status.text}
          </span>
        )}
      </div>
    </form>
  );
}
