export default function Forbidden() {
  return (
    <div className="card max-w-lg" data-testid="forbidden">
      <h1 className="text-xl font-semibold">Not allowed</h1>
      <p className="mt-2 text-stone-700">
        Your account does not have the role this page needs. Ask an org admin if you think it should.
      </p>
    </div>
  );
}
