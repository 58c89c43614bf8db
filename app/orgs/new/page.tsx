import type { Metadata } from "next";
import { requirePageAccess } from "@/lib/auth/require-page-access";
import { ActionForm } from "@/app/action-form";
import { createOrganizationAction } from "@/app/orgs/actions";

export const metadata: Metadata = { title: "New organization" };

export default async function NewOrganizationPage() {
  await requirePageAccess({ role: "ORG_ADMIN" }, "/orgs/new");
  return (
    <div className="card max-w-lg space-y-4">
      <h1 className="text-2xl font-semibold">New organization</h1>
      <p className="text-sm text-stone-700">
        A theater is active at once. A host starts pending until the members admit it.
      </p>
      <ActionForm action={createOrganizationAction} submitLabel="Create organization" testId="create-org-form">
        <div>
          <label className="label" htmlFor="name">
            Name
          </label>
          <input className="input" id="name" name="name" required minLength={2} maxLength={100} />
        </div>
        <div>
          <label className="label" htmlFor="slug">
            Slug (used in URLs)
          </label>
          <input
            className="input"
            id="slug"
            name="slug"
            required
            minLength={3}
            maxLength={40}
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            placeholder="rose-theater"
          />
        </div>
        <div>
          <label className="label" htmlFor="kind">
            Kind
          </label>
          <select className="input" id="kind" name="kind" defaultValue="THEATER">
            <option value="THEATER">Theater</option>
            <option value="HOST">Host</option>
          </select>
        </div>
      </ActionForm>
    </div>
  );
}
