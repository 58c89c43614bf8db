import Link from "next/link";

export default function HomePage() {
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-semibold">Guildhall</h1>
      <p className="max-w-2xl text-stone-700">
        The trusted layer of the federated ticketing service: it licenses theaters and certifies their keys, signs
        people in to the independent backend hosts, takes payments and splits them, and records the members&apos;
        binding votes. Everything it asserts is signed and recorded in an append-only audit chain, so anyone can check
        it.
      </p>
      <div className="flex gap-3">
        <Link className="btn" href="/sign-in">
          Sign in
        </Link>
        <Link className="btn-secondary" href="/sign-up">
          Create an account
        </Link>
      </div>
    </div>
  );
}
