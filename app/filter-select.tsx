/** A labelled list filter of a GET form: "Any" (no filter) first, then the given choices as value → words. */
export function FilterSelect({
  id,
  name,
  label,
  value,
  choices,
}: {
  id: string;
  name: string;
  label: string;
  value: string | undefined;
  choices: readonly (readonly [value: string, words: string])[];
}) {
  return (
    <div>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <select className="input" id={id} name={name} defaultValue={value ?? ""}>
        <option value="">Any</option>
        {choices.map(([v, words]) => (
          <option key={v} value={v}>
            {words}
          </option>
        ))}
      </select>
    </div>
  );
}
