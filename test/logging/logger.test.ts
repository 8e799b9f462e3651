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
    logger.info(
      {
        password: 'hunter2-pass',
        user: { password: 'nested-pass' },
        key: 'kg_secret',
        req: { headers: { authorization: 'Bearer jwt-secret', 'x-client-key': 'kg_other' } },
      },
      'x',
    );
    logger.error({ err: Object.assign(new Error('boom'), { parameters: ['$2b$10$hash'] }) }, 'y');
    const out = lines.join('');
    for (const secret of ['hunter2-pass', 'nested-pass', 'kg_secret', 'jwt-secret', 'kg_other', '$2b$10$hash']) expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });
});

describe('log format', () => {
  const capture = () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    return { sink, out: () => out };
  };

  it('writes readable single lines for a terminal, still redacted', () => {
    const { sink, out } = capture();
    const logger = createLogger('info', sink, true);
    logger.info({ status: 200, password: 'hunter2-pass' }, 'POST /graphql 200 1.2ms anonymous');
    const lines = out().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(() => JSON.parse(lines[0])).toThrow();
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: POST \/graphql 200 1\.2ms anonymous \{.*"status":200/);
    expect(lines[0]).not.toContain('hunter2-pass');
  });

  it('writes JSON lines otherwise', () => {
    const { sink, out } = capture();
    createLogger('info', sink).info({ status: 200 }, 'hello');
    expect(JSON.parse(out())).toMatchObject({ level: 30, msg: 'hello', status: 200 });
  });
});
