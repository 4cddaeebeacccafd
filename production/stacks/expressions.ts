/**
 * Optional values as Terraform expressions. cdktf 0.21 quirks met here: a TerraformVariable with
 * `default: null` crashes synth; Fn.conditional quotes a "${…}" string condition; and Op writes
 * a falsy operand ('' or 0) as `undefined`. So an optional setting is an empty-string default,
 * conditions are built with Op, and never compare with '' or 0.
 */
import { Fn, Op, Token, type TerraformVariable } from 'cdktf';

/** `condition ? value : null` (Terraform then leaves the argument unset). */
export function valueIf(condition: unknown, value: string): string {
  return Token.asString(Fn.conditional(condition, value, Token.nullValue()));
}

/** The variable's value, or null when it is the empty string (an optional ARN, say). */
export function unlessEmpty(variable: TerraformVariable): string {
  return valueIf(Op.gte(Fn.lengthOf(variable.stringValue), 1), variable.stringValue);
}
