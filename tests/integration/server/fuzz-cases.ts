// Seeded random HTTP/WebSocket requests for the browser-mode server fuzzer: request lines,
// methods, paths and percent-encodings, odd and huge headers, header counts, WebSocket handshakes
// (valid and broken, with and without token/Origin), frames after a handshake, garbage bytes,
// and slow partial requests. Every case is a byte sequence plus how to send it; all bounded.
import { socketProtocols } from '../../../src/shared/socket-auth.js';
import { seededRandom } from '../../helpers/seeded-random.js';

export interface FuzzCase {
  kind: string;
  /** Sent in this order, with `pauseMs` between chunks (slow clients). */
  chunks: Buffer[];
  pauseMs: number;
}

export interface FuzzTarget {
  port: number;
  token: string;
}

export function caseGenerator(seed: number, target: FuzzTarget): () => FuzzCase {
  const random = seededRandom(seed);
  const int = (max: number): number => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number): boolean => random() < p;
  const bytes = (n: number): Buffer => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i += 1) out[i] = int(256);
    return out;
  };
  const ascii = (
    n: number,
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?#[]%",
  ): string => Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join('');
  const own = `127.0.0.1:${target.port}`;

  const percent = (): string =>
    pick([
      '%',
      '%%',
      '%2',
      '%zz',
      '%c0%ae',
      '%c0%af',
      '%e0%80%af',
      '%ff%fe',
      '%00',
      '%2e%2e',
      '%2f',
      '%5c',
      '%25',
      '%u002e',
      '%E0%A4%A',
      '%F0%9F%98',
      '%ed%a0%80',
      `%${ascii(2, '0123456789abcdefABCDEFgG')}`,
    ]);
  const path = (): string => {
    const special = [
      '/',
      '/ws',
      '/ws/',
      '//[',
      '//[::1',
      '//',
      '*',
      '',
      'http://[',
      `http://${own}/ws`,
      'http://evil.example/',
      '/..',
      '/../../etc/passwd',
      '/index.html',
      '/assets/',
      '/ws?token=',
      `/ws?token=${target.token}`,
      `/?token=${target.token}`,
      '/%',
      '/\\..\\..\\',
    ];
    if (chance(0.3)) return pick(special);
    let out = '/';
    const segments = int(6);
    for (let i = 0; i < segments; i += 1) {
      out += chance(0.3) ? percent() : ascii(int(12));
      if (chance(0.5)) out += '/';
    }
    if (chance(0.1)) out += ascii(int(20_000));
    if (chance(0.05)) out = `/${'%'.repeat(int(3000))}`;
    return out;
  };
  const method = (): string =>
    pick([
      'GET',
      'GET',
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'DELETE',
      'OPTIONS',
      'CONNECT',
      'TRACE',
      'PATCH',
      'get',
      'PRI',
      'G\u0000T',
      ascii(int(40), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      '',
      ' ',
    ]);
  const version = (): string =>
    pick([
      'HTTP/1.1',
      'HTTP/1.1',
      'HTTP/1.1',
      'HTTP/1.0',
      'HTTP/2.0',
      'HTTP/0.9',
      'HTTP/9.9',
      'HTTP/1.1 extra',
      'http/1.1',
      '',
      ascii(8),
    ]);
  const eol = (): string => (chance(0.9) ? '\r\n' : pick(['\n', '\r', '\r\r\n', '\n\r']));
  const hostHeader = (): string | null =>
    pick([
      own,
      own,
      own,
      `localhost:${target.port}`,
      `evil.example:${target.port}`,
      '',
      `${own}, ${own}`,
      `[${ascii(5)}`,
      ascii(int(200)),
      null,
    ]);
  const originHeader = (): string | null =>
    pick([
      null,
      null,
      `http://${own}`,
      `http://localhost:${target.port}`,
      'http://evil.example',
      'null',
      '',
      `http://${own}/`,
      `https://${own}`,
      ascii(int(100)),
      'http://[',
    ]);
  const wsKey = (): string | null =>
    pick([
      bytes(16).toString('base64'),
      bytes(16).toString('base64'),
      '',
      'not base64!',
      bytes(int(40)).toString('base64'),
      null,
    ]);
  const protocolHeader = (): string | null =>
    pick([
      socketProtocols(target.token).join(', '),
      socketProtocols(target.token).join(', '),
      'overseer.v1, overseer.token.wrong',
      'overseer.v1',
      `overseer.token.${target.token}`,
      `overseer.v1, overseer.token.${target.token}, overseer.token.${target.token}`,
      ascii(int(5000)),
      ',,,',
      null,
    ]);

  const headers = (upgrade: boolean): string[] => {
    const lines: string[] = [];
    const host = hostHeader();
    if (host !== null) lines.push(`Host: ${host}`);
    const origin = originHeader();
    if (origin !== null) lines.push(`Origin: ${origin}`);
    if (upgrade) {
      lines.push(`Upgrade: ${pick(['websocket', 'websocket', 'WebSocket', 'h2c', 'websocket, h2c', ascii(10), ''])}`);
      lines.push(
        `Connection: ${pick(['Upgrade', 'Upgrade', 'upgrade, keep-alive', 'keep-alive', 'close', ascii(10)])}`,
      );
      const key = wsKey();
      if (key !== null) lines.push(`Sec-WebSocket-Key: ${key}`);
      if (chance(0.9)) lines.push(`Sec-WebSocket-Version: ${pick(['13', '13', '8', '', 'abc', '13, 8'])}`);
      const protocols = protocolHeader();
      if (protocols !== null) lines.push(`Sec-WebSocket-Protocol: ${protocols}`);
      if (chance(0.1))
        lines.push(
          `Sec-WebSocket-Extensions: ${pick(['permessage-deflate', 'permessage-deflate; client_max_window_bits', ascii(30)])}`,
        );
    }
    if (chance(0.2)) lines.push(`Cookie: overseer_token=${target.token}; ${ascii(int(50))}`);
    if (chance(0.15)) lines.push(`Content-Length: ${pick(['0', '5', '-1', '99999999999', 'abc', '10, 20', ''])}`);
    if (chance(0.1)) lines.push(`Transfer-Encoding: ${pick(['chunked', 'gzip, chunked', 'identity', ascii(8)])}`);
    if (chance(0.1)) lines.push(`X-Big: ${'a'.repeat(pick([100, 8000, 17_000, 70_000]))}`);
    if (chance(0.1)) {
      const count = pick([50, 200, 1000, 2100, 3000]);
      for (let i = 0; i < count; i += 1) lines.push(`X-H${i}: ${ascii(int(10))}`);
    }
    if (chance(0.1)) lines.push(`${ascii(int(20), 'abc:() <>@,;"/[]?={} \t\u0000')}: ${ascii(int(20))}`);
    if (chance(0.05)) lines.push(' folded continuation');
    if (chance(0.05)) lines.push(`X-Ctl: ${bytes(int(20)).toString('latin1')}`);
    if (chance(0.05)) lines.push(`Host: ${own}`);
    return lines;
  };

  /** A masked client WebSocket frame (or a broken one). */
  const wsFrame = (): Buffer => {
    if (chance(0.2)) return bytes(1 + int(64));
    const opcode = pick([0x1, 0x1, 0x1, 0x2, 0x8, 0x9, 0xa, 0x0, 0x3, 0xf]);
    const payloadText = pick([
      JSON.stringify({
        type: 'invoke',
        id: int(1000),
        channel: pick(['ping', 'app.info', 'goals.list', 'goal.get', 'settings.get', 'nope', ascii(int(300))]),
        payload: pick([{ nonce: 'n' }, {}, null, 42, 'x', [1, 2, 3], { goalId: ascii(10) }]),
      }),
      JSON.stringify({ type: 'subscribe', afterSeq: pick([-1, 0, 5, -7, 1e20, 0.5]) }),
      JSON.stringify({ type: pick(['invoke', 'subscribe', 'x']), id: pick([-1, 'a', null, 1.5]) }),
      '{"type":"invoke","id":1,"channel":"ping","payload":' + '['.repeat(int(5000)),
      ascii(int(500)),
      '',
    ]);
    const payload = opcode === 0x2 ? bytes(int(200)) : Buffer.from(payloadText);
    const fin = chance(0.9) ? 0x80 : 0;
    const masked = chance(0.95);
    const length = payload.length;
    const header: number[] = [fin | opcode];
    const maskBit = masked ? 0x80 : 0;
    if (length < 126) header.push(maskBit | length);
    else if (length < 65_536) header.push(maskBit | 126, length >> 8, length & 0xff);
    else
      header.push(
        maskBit | 127,
        0,
        0,
        0,
        0,
        (length >>> 24) & 0xff,
        (length >>> 16) & 0xff,
        (length >>> 8) & 0xff,
        length & 0xff,
      );
    if (!masked) return Buffer.concat([Buffer.from(header), payload]);
    const mask = bytes(4);
    const body = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
    return Buffer.concat([Buffer.from(header), mask, body]);
  };

  const split = (whole: Buffer): Buffer[] => {
    if (whole.length < 2 || chance(0.8)) return [whole];
    const cut = 1 + int(whole.length - 1);
    return [whole.subarray(0, cut), whole.subarray(cut)];
  };

  return () => {
    const roll = random();
    if (roll < 0.08) {
      const kind = pick(['garbage', 'tls-hello', 'h2-preface', 'nul', 'empty-lines']);
      const body =
        kind === 'garbage'
          ? bytes(1 + int(4096))
          : kind === 'tls-hello'
            ? Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]), bytes(200)])
            : kind === 'h2-preface'
              ? Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')
              : kind === 'nul'
                ? Buffer.alloc(int(2000))
                : Buffer.from('\r\n'.repeat(int(500)));
      return { kind, chunks: split(body), pauseMs: 0 };
    }
    const upgrade = roll < 0.55;
    const requestLine = chance(0.95) ? `${method()} ${path()} ${version()}` : ascii(int(300));
    const lines = [requestLine, ...headers(upgrade)];
    const e = eol();
    let head = `${lines.join(e)}${e}${e}`;
    if (chance(0.1)) head = head.slice(0, int(head.length)); // a partial request
    const parts: Buffer[] = [Buffer.from(head, 'latin1')];
    if (chance(0.15))
      parts.push(chance(0.5) ? bytes(int(3000)) : Buffer.from(`5\r\nhello\r\n${ascii(5)}\r\n0\r\n\r\n`));
    if (upgrade && chance(0.6)) for (let i = int(4); i >= 0; i -= 1) parts.push(wsFrame());
    const slow = chance(0.05);
    const chunks = slow
      ? parts.flatMap((part) => split(part)).flatMap((part) => split(part))
      : parts.flatMap((part) => split(part));
    return { kind: upgrade ? 'upgrade' : 'http', chunks, pauseMs: slow ? 5 + int(40) : chance(0.3) ? 1 : 0 };
  };
}
