/**
 * The text of a form's field as the page shows it at submit (empty when absent). Forms read their fields here
 * rather than from React state: what a person types, or the browser autofills, before React hydrates the page
 * never reaches an onChange, and would be sent as the state's stale value while the box shows the text.
 */
export function formText(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === "string" ? value : "";
}
