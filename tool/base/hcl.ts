/**
 * Reading one string variable from a Terraform variables file (terraform.tfvars) the way
 * Terraform reads it, for the checks and defaults that must agree with what a deploy uses.
 * Base layer: imports nothing of ours.
 */

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * The value of `name = "…"` in HCL variable-file text: the quoted-string form, with HCL's escapes
 * (\n \r \t \" \\ \uNNNN \UNNNNNNNN, and $${ %%{ for literal ${ %{). null when the variable is not
 * set; undefined when it is set in a form only Terraform can evaluate.
 */
export function hclStringVariable(text: string, name: string): string | null | undefined {
  const start = new RegExp(`^[ \\t]*${name}[ \\t]*=[ \\t]*`, 'm').exec(text);
  if (!start) return null;
  let i = start.index + start[0].length;
  if (text[i] !== '"') return undefined;
  let value = '';
  for (i++; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return value;
    if (c === '\n') return undefined;
    if (c === '\\') {
      const next = text[++i];
      if (next === 'u' || next === 'U') {
        const digits = next === 'u' ? 4 : 8;
        const hex = text.slice(i + 1, i + 1 + digits);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
        value += String.fromCodePoint(parseInt(hex, 16));
        i += digits;
      } else if (next in ESCAPES) value += ESCAPES[next];
      else return undefined;
    } else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      value += `${c}{`;
      i += 2;
    } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      return undefined; // a template: only Terraform can evaluate it
    } else value += c;
  }
  return undefined;
}
