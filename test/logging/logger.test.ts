import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger';

describe('logger', () => {
  it('redacts credentials wherever they appear in a record', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ password: 'hunter2-pass', user: { password: 'nested-pass' }, key: 'kg_secret', req: { headers: { authorization: 'Bearer jwt-secret', 'x-client-key': 'kg_other' } } }, 'x');
    logger.error({ err: Object.assign(new Error('boom'), { parameters: ['$2b$10$hash'] }) }, 'y');
    const out = lines.join('');
    for (const secret of ['hunter2-pass', 'nested-pass', 'kg_secret', 'jwt-secret', 'kg_other', '$2b$10$hash']) expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });
});
