import { formatDuration } from '../../tool/base/text';
import { ELAPSED } from '../support/text';

describe("the tests' pattern for an elapsed time", () => {
  const whole = new RegExp(`^${ELAPSED}$`);

  it.each([0, 85, 999.4, 999.6, 1000, 1130, 61234, 3_600_000])('matches what formatDuration writes for %p ms', (ms) => {
    expect(formatDuration(ms)).toMatch(whole);
  });

  it('matches neither a bare number nor another unit', () => {
    for (const text of ['85', '1.2 s', '1 s', '85 msec', '2 min']) expect(text).not.toMatch(whole);
  });
});
