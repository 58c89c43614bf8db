import Link from "next/link";
import type { Metadata } from "next";

export const metadata: Metadata = { title: "Page not found" };

/** Every unknown address, and every page that calls notFound(), in the site's own layout. */
export default function NotFound() {
  return (
    <div className="card max-w-xl space-y-4" data-testid="not-found">
      <p className="text-sm font-medium text-stone-500">Error 404</p>
      <h1 className="text-2xl font-semibold">This page does not exist</h1>
      <p className="text-stone-700">
        The address may be mistyped, or what it pointed to was removed. If you followed a link inside Guildhall, the
        item may belong to an organization you are not a member of.
      </p>
      <div className="flex flex-wrap gap-3">
        <Link className="btn" href="/">
          Go to the home page
        </Link>
        <Link className="btn-secondary" href="/governance">
          Governance
        </Link>
      </div>
    </div>
  );
}
