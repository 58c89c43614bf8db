export const metadata = { title: "Payment received" };

export default async function PaymentDonePage({ searchParams }: { searchParams: Promise<{ order?: string }> }) {
  const { order } = await searchParams;
  return (
    <div className="card mx-auto max-w-lg space-y-2">
      <h1 className="text-xl font-semibold">Payment received</h1>
      <p className="text-sm text-stone-700">
        Thank you. Your order {order ? <code data-testid="order-id">{order}</code> : null} is paid; you may close this
        page.
      </p>
    </div>
  );
}
