/** A link that saves text as a file, made from a Blob in the browser. */
export function downloadUrl(text: string, type = "application/x-pem-file"): string {
  return URL.createObjectURL(new Blob([text], { type }));
}
