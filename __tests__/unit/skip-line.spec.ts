/** A skipped test says what is skipped and what is missing here, in words that read (support/skip.ts). */
import { commandMissing } from '../support/process';
import { skipLine } from '../support/skip';

describe('the line a skipped test prints', () => {
  it('names what is skipped, then what is missing', () => {
    expect(skipLine('the TLS tests', commandMissing('usualstore-no-such-command', ['--version'])!)).toBe(
      'skipped: the TLS tests: usualstore-no-such-command is not installed here',
    );
    expect(skipLine('the deploy checks tests', 'no real Docker Engine: dockerd is not installed (Debian: apt-get install docker.io)')).toBe(
      'skipped: the deploy checks tests: no real Docker Engine: dockerd is not installed (Debian: apt-get install docker.io)',
    );
  });
});
