"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { SignOutButton } from "@/app/sign-out-button";
import { Button } from "@/app/button";

export type NavLink = { href: string; label: string };

/**
 * The site's navigation: a row of links on a wide screen, a Menu button that
 * opens them as a list on a narrow one (a phone's 390 px cannot hold eight
 * links, the address and Sign out in a row). Each link and button exists once
 * in the page, laid out by the screen's width, so a test or a screen reader
 * finds one Sign out. The list closes when a link is followed, since the
 * layout, and so this component, stays mounted across pages.
 */
export function SiteNav({ links, email }: { links: NavLink[]; email: string | null }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing on every change of page is the point
  useEffect(() => setOpen(false), [pathname]);
  const current = (href: string) =>
    pathname === href || (href !== "/account" && pathname.startsWith(`${href}/`)) ? "page" : undefined;
  return (
    <nav aria-label="Main" className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-5 px-4 py-3 text-sm">
      <Link href="/" className="py-2 font-semibold text-accent">
        Guildhall
      </Link>
      {!email && (
        <Link href="/sign-in" className="btn ml-auto lg:order-last">
          Sign in
        </Link>
      )}
      {links.length > 0 && (
        <Button
          type="button"
          className="btn-secondary lg:hidden"
          style={{ marginLeft: email ? "auto" : undefined }}
          aria-expanded={open}
          aria-controls={menuId}
          onClick={() => setOpen((o) => !o)}
          data-testid="menu-button"
        >
          {open ? "Close menu" : "Menu"}
        </Button>
      )}
      <div
        id={menuId}
        data-testid="menu"
        className={`${open ? "flex" : "hidden"} w-full flex-col gap-3 border-t border-stone-200 pt-3 lg:flex lg:w-auto lg:flex-1 lg:flex-row lg:items-center lg:border-0 lg:pt-0`}
      >
        <ul className="flex flex-col gap-x-5 lg:flex-row lg:flex-wrap lg:items-center">
          {links.map((l) => (
            <li key={l.href}>
              <Link href={l.href} aria-current={current(l.href)} className="nav-link block py-2">
                {l.label}
              </Link>
            </li>
          ))}
        </ul>
        {email && (
          <div className="flex flex-wrap items-center gap-3 border-t border-stone-200 pt-3 lg:ml-auto lg:border-0 lg:pt-0">
            <span className="break-all text-stone-600" data-testid="signed-in-as">
              {email}
            </span>
            <SignOutButton />
          </div>
        )}
      </div>
    </nav>
  );
}
