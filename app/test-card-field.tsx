/**
 * The simulated provider's card field: a labelled input for the card number and the test cards the page accepts,
 * each with what it does. The checkout and the funding checkout list their own cards.
 */
export function TestCardField({ cards }: { cards: Readonly<Record<string, string>> }) {
  return (
    <>
      <label className="label" htmlFor="card">
        Test card number
      </label>
      <input
        id="card"
        name="card"
        className="input font-mono"
        inputMode="numeric"
        autoComplete="off"
        required
        placeholder="4242 4242 4242 4242"
      />
      <ul className="text-xs text-stone-600">
        {Object.entries(cards).map(([number, what]) => (
          <li key={number}>
            <code>{number.replace(/(\d{4})(?=\d)/g, "$1 ")}</code> {what}
          </li>
        ))}
      </ul>
    </>
  );
}
