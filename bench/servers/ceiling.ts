import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The ceiling: node:http answering a fixed GraphQL body, with no GraphQL at all. */
const body = Buffer.from(JSON.stringify({ data: { viewer: { kind: 'CLIENT_KEY', id: '00000000-0000-4000-8000-000000000000' } } }));
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
