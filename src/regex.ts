/** `\.`-style escapes for every regular-expression metacharacter (the same set in JavaScript and RE2). */
export function escapeRegex(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}
