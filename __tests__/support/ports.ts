/** Ports for the tests' connection failures. */
import net from 'node:net';

/** A port on which nothing listens: connections to it are refused. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
