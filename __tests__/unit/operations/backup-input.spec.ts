/** restore's input: stdin from a terminal is refused before anything is read or created. */
import { PassThrough } from 'node:stream';
import { withBackupInput } from '../../../tool/operations/backup-input';

it('restore - refuses a terminal on stdin, in one line, without calling the restore', async () => {
  const terminal = Object.assign(new PassThrough(), { isTTY: true });
  let called = false;
  await expect(
    withBackupInput(
      '-',
      async () => {
        called = true;
      },
      terminal,
    ),
  ).rejects.toThrow(
    'restore - reads the backup from stdin, which is a terminal here; pipe it in (… | usualstore-db restore -) or give a FILE',
  );
  expect(called).toBe(false);
});

it('restore - takes a piped stream: the work sees a complete, recognised file', async () => {
  const piped = new PassThrough();
  piped.end('--\n-- PostgreSQL database dump\n--\nSELECT 1;\n');
  const seen = await withBackupInput('-', async (input) => ({ label: input.label, format: input.format, gzip: input.gzip }), piped);
  expect(seen).toEqual({ label: 'stdin', format: 'plain', gzip: false });
});
