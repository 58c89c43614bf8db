/** A labelled form control. */
export function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child each caller passes.
    <label className="block">
      <span className="label">{label}</span>
      {children}
    </label>
  );
}
