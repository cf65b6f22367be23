import { describe, expect, it } from '@jest/globals';
import { evaluate, parseJsonBody, parseJsonPathAssertion, summarizeFailures, type Assertion, type CheckedResponse } from '@deploy-actions/assertions';
import { parseStatusSet } from '@deploy-actions/inputs';

function response(body: unknown, extra: Partial<CheckedResponse> = {}): CheckedResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-version': 'abc123' },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    truncated: false,
    latencyMs: 42,
    ...extra
  };
}

const doc = { status: 'ok', version: 'abc123', checks: { db: 'up', cache: null }, items: [1, 2, 3], count: 7, name: 'api-gateway' };
const jp = (line: string) => parseJsonPathAssertion('json-path', line);

describe('JSONPath assertions', () => {
  it.each([
    '$.status == "ok"',
    '$.status == ok',
    '$.version == "abc123"',
    '$.checks.db exists',
    '$.checks.cache exists',
    '$.checks.missing !exists',
    '$.checks.missing not exists',
    '$.status != "down"',
    '$.count > 5',
    '$.count <= 7',
    '$.items length == 3',
    '$.items length > 0',
    '$.name matches /^api-/',
    '$.items[?(@ > 1)] == [2,3]',
    "$['checks']['db'] == \"up\""
  ])('%s passes', async (line) => {
    expect(await evaluate([jp(line)], response(doc))).toEqual([]);
  });

  it.each([
    ['$.status == "down"', '$.status', '"down"', '"ok"'],
    ['$.checks.missing exists', '$.checks.missing', 'to exist', 'no match'],
    ['$.count < 5', '$.count', '< 5', '7'],
    ['$.items length == 2', '$.items length', '2', '3'],
    ['$.name matches /^web/', '$.name', 'matching /^web/', '"api-gateway"'],
    ['$.status > 1', '$.status', 'a number > 1', '"ok"']
  ])('%s fails and explains itself', async (line, where, expected, actual) => {
    const [failure] = await evaluate([jp(line)], response(doc));
    expect(failure).toEqual({ kind: 'assertion', assertion: line, where, expected, actual });
  });

  it('invalid JSON is named, with the start of the body', async () => {
    const [failure] = await evaluate([jp('$.status == "ok"')], response('<html>502 Bad Gateway</html>'));
    expect(failure?.expected).toBe('a JSON body');
    expect(failure?.actual).toMatch(/^invalid JSON \(.+\); body starts "<html>502 Bad Gateway<\/html>"$/);
  });

  it('a cut body is explained as cut, not as broken JSON', async () => {
    const [failure] = await evaluate([jp('$.status exists')], response('{"status":"o', { truncated: true }));
    // The input that cut it is named, so the fix is plain.
    expect(failure?.actual).toMatch(/^a body cut at max-body-size \(12 bytes\), so not complete JSON; body starts "\{\\"status\\":\\"o"$/);
  });

  it('an empty body under a JSON check says so, once', async () => {
    const [failure] = await evaluate([jp('$.status exists')], response(''));
    expect(failure?.actual).toBe('an empty body');
  });

  it.each([
    ['status == ok', 'cannot read'],
    ['$.a ==', 'has no value after =='],
    ['$.a exists now', 'has extra words after exists'],
    ['$.a < big', 'is not a number'],
    ['$.a matches /(/', 'is not a valid regular expression'],
    ['$.a[?(@.x > 1 == 1', 'is not valid JSONPath'],
    ["$.a['b == 1", 'is not valid JSONPath']
  ])('rejects %j: %s', (line, problem) => {
    expect(() => jp(line)).toThrow(new RegExp(`^input json-path: .*${problem.replace(/[()[\]]/g, '\\$&')}.*; expected `));
  });
});

describe('other assertions', () => {
  const all: Assertion[] = [
    { kind: 'status', expected: parseStatusSet('s', '2xx') },
    { kind: 'header', name: 'Content-Type', matches: /json/ },
    { kind: 'header', name: 'X-Version', equals: 'abc123' },
    { kind: 'body-contains', text: '"ok"' },
    { kind: 'body-regex', pattern: /"count":\d+/ },
    { kind: 'latency', maxMs: 100 }
  ];
  it('all pass on a good response', async () => expect(await evaluate(all, response(doc))).toEqual([]));

  it('each failure says where, expected and actual', async () => {
    const failures = await evaluate(all, { status: 503, headers: {}, body: Buffer.from('maintenance'), truncated: false, latencyMs: 250 });
    expect(failures.map((f) => [f.kind, f.where, f.expected, f.actual])).toEqual([
      ['status', 'status', '2xx', '503'],
      ['assertion', 'header Content-Type', 'matching /json/', 'header absent'],
      ['assertion', 'header X-Version', '"abc123"', 'header absent'],
      ['assertion', 'body', 'to contain "\\"ok\\""', '"maintenance"'],
      ['assertion', 'body', 'to match /"count":\\d+/', '"maintenance"'],
      ['latency', 'latency', '<= 100ms', '250ms']
    ]);
  });
});

describe('JSON bodies after a byte order mark', () => {
  const withBom = (value: unknown) => response(`\uFEFF${JSON.stringify(value)}`);
  it('JSONPath and JSON Schema checks read the JSON after it', async () => {
    const schema: Assertion = { kind: 'json-schema', source: 'inline', schema: { type: 'object', required: ['status'], properties: { status: { const: 'ok' } } } };
    expect(await evaluate([jp('$.status == "ok"'), schema], withBom(doc))).toEqual([]);
  });
});

describe('summarizeFailures', () => {
  it('says checks that failed alike once, in one line, so the body they quote shows once', async () => {
    const failures = await evaluate([jp('$.status == "ok"'), jp('$.version exists'), { kind: 'body-contains', text: 'ready' }], response('<html>\n  Bad Gateway\n</html>'));
    const { kind, reason } = summarizeFailures(failures);
    expect(kind).toBe('assertion');
    expect(reason).not.toMatch(/[\r\n]/);
    // The body once, where it is first quoted; the later check that quoted it too is still named.
    expect(reason).toBe('$.status, $.version: expected a JSON body, got invalid JSON (Unexpected token \'<\'); body starts "<html> Bad Gateway </html>"; body: expected to contain "ready", got the same body');
  });

  it('quotes the body once whichever check quotes it first, a schema on the whole body too', async () => {
    const failures = await evaluate(
      [{ kind: 'body-contains', text: 'ready' }, { kind: 'json-schema', schema: { type: 'object' }, source: 'given inline' }, { kind: 'header', name: 'X-Version', equals: 'v2' }],
      response('"starting up"')
    );
    expect(summarizeFailures(failures).reason).toBe(
      'body: expected to contain "ready", got "\\"starting up\\""; body: expected must be object (#/type), got the same body; header X-Version: expected "v2", got "abc123"'
    );
    // Each check still says what it saw when it fails alone.
    expect(failures.map((f) => f.actual)).toEqual(['"\\"starting up\\""', '"starting up"', '"abc123"']);
  });
});

describe('a UTF-8 byte order mark before JSON', () => {
  it('is no part of the JSON, for checks and for anything else that reads a JSON body', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"status":"ok"}')]);
    expect(await evaluate([jp('$.status == "ok"')], response(body.toString('utf8')))).toEqual([]);
    expect(parseJsonBody(body)).toEqual({ ok: true, value: { status: 'ok' } });
    expect(parseJsonBody(Buffer.from('<html>'))).toEqual({ ok: false, error: expect.stringMatching(/^invalid JSON \(.+\); body starts "<html>"$/), bodyQuote: '; body starts "<html>"' });
  });
});

describe('checks of the same thing, and credential headers', () => {
  it('several failed checks of one body quote it once', async () => {
    const failures = await evaluate([{ kind: 'body-contains', text: 'ready' }, { kind: 'body-regex', pattern: /^ok$/ }], response('starting up'));
    expect(summarizeFailures(failures).reason).toBe('body: expected to contain "ready" and to match /^ok$/, got "starting up"');
  });

  it('a credential header the server sent is checked but never quoted', async () => {
    const failures = await evaluate(
      [
        { kind: 'header', name: 'Set-Cookie', matches: /^session=/ },
        { kind: 'header', name: 'Content-Type', equals: 'text/plain' }
      ],
      response(doc, { headers: { 'set-cookie': ['sid=s3cr3t-cookie; HttpOnly'], 'content-type': 'application/json' } })
    );
    const { reason } = summarizeFailures(failures);
    expect(reason).toBe('header Set-Cookie: expected matching /^session=/, got a value not shown (a credential header); header Content-Type: expected "text/plain", got "application/json"');
    expect(JSON.stringify(failures)).not.toContain('s3cr3t-cookie');
  });
});
