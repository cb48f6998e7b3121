// Template-level string helpers (JS macro module: every export is a Handlebars helper).

/** Concatenates its arguments into one string at compile time: {{cast (cat "trim(" col ")") "float"}}. */
export function cat(...args) {
  args.pop(); // Handlebars' options object
  return args.map(String).join('');
}
