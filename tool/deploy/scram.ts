/**
 * A SCRAM-SHA-256 password verifier (RFC 5802/7677) in PostgreSQL's text form,
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. `ALTER ROLE … PASSWORD '<verifier>'`
 * stores it as is, so changing a password never sends the password itself to the server, where
 * a failing statement would be written to the server log with its text.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * SASLprep's mapping steps (RFC 4013), as the server and the client drivers apply them before
 * hashing: non-ASCII spaces become spaces, "commonly mapped to nothing" characters go, NFKC.
 */
function saslprep(password: string): string {
  return password
    .replace(/[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g, ' ')
    .replace(/[\u00AD\u034F\u1806\u180B\u180C\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g, '')
    .normalize('NFKC');
}

/** PostgreSQL's default iteration count (scram_iterations). */
const ITERATIONS = 4096;

export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = ITERATIONS): string {
  const salted = pbkdf2Sync(saslprep(password), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
