/** Comparing Docker API versions, as the preflight does against the stack's needs. */
import { apiAtLeast } from '../../../tool/deploy/docker';

describe('apiAtLeast', () => {
  it.each([
    ['1.41', '1.41', true],
    ['1.44', '1.41', true],
    ['1.51', '1.44', true],
    ['1.100', '1.46', true],
    ['2.0', '1.46', true],
    ['1.41', '1.44', false],
    ['1.9', '1.41', false],
    ['1.45', '1.46', false],
    ['', '1.41', false],
    ['garbage', '1.41', false],
  ])('%s >= %s is %s', (actual, required, expected) => {
    expect(apiAtLeast(actual, required)).toBe(expected);
  });
});
