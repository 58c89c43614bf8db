import { listTheaterLicenses } from "@/lib/licensing/list-licenses";
import { findLogReceipts } from "@/lib/transparency/find-log-receipt";
import { LogReceiptLine } from "@/app/log/log-receipt-line";

/** A theater's licenses, each with where the public log records its standing and its current certificate. */
export async function LicenseLog({ orgId }: { orgId: string }) {
  const licenses = (await listTheaterLicenses([orgId])).filter((l) => l.state !== "pending_payment");
  const receipts = await findLogReceipts(
    licenses.flatMap((l) => [
      { kind: "license" as const, id: l.id },
      ...(l.currentCertificate ? [{ kind: "certificate" as const, id: l.currentCertificate.id }] : []),
    ]),
  );
  return (
    <section className="card space-y-3" aria-labelledby="license-log-heading" data-testid="org-license-log">
      <h2 id="license-log-heading" className="text-lg font-semibold">
        Licenses in the public log
      </h2>
      {licenses.length === 0 && <p className="text-sm text-stone-600">No paid license yet.</p>}
      {licenses.map((l) => (
        <div key={l.id} className="space-y-1" data-license-id={l.id}>
          <p className="text-sm font-medium">
            {l.plan.name} <code className="text-xs">{l.id}</code> ({l.state.replace("_", " ")})
          </p>
          <LogReceiptLine
            receipt={receipts.get(`license:${l.id}`) ?? null}
            what="The license"
            testId="license-log-receipt"
          />
          {l.currentCertificate && (
            <LogReceiptLine
              receipt={receipts.get(`certificate:${l.currentCertificate.id}`) ?? null}
              what="Its certificate and license document"
              testId="certificate-log-receipt"
            />
          )}
        </div>
      ))}
    </section>
  );
}
