export const metadata = { title: "Payment cancelled" };

export default function PaymentCancelledPage() {
  return (
    <div className="card mx-auto max-w-lg space-y-2">
      <h1 className="text-xl font-semibold">Payment cancelled</h1>
      <p className="text-sm text-stone-700">Nothing was charged.</p>
    </div>
  );
}
