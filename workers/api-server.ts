// Starts the HTTP server for the API and closes it on request.
import type { Server } from 'node:http';
import { createApp, type ApiDependencies } from '../api/app';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(deps: ApiDependencies, host: string, port: number): Promise<RunningApi> {
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    url: `http://${host}:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
