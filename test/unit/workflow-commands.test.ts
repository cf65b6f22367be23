import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  EnvironmentFileError,
  escapeData,
  escapeProperty,
  formatWorkflowCommand,
  parseEnvironmentFile,
  parsePathFile,
  parseWorkflowCommand,
  unescapeData,
  unescapeProperty
} from '@deploy-actions/harness';

describe('parseWorkflowCommand', () => {
  it('reads name, properties and message, unescaping each the way the runner does (%20 is not one of its escapes)', () => {
    expect(parseWorkflowCommand('::error file=a.ts,line=3,title=Bad%3A%20x%2Cy::boom%0Anext')).toEqual({
      name: 'error',
      properties: { file: 'a.ts', line: '3', title: 'Bad:%20x,y' },
      message: 'boom\nnext'
    });
  });

  it('decodes %25 last, so an escaped escape stays literal', () => {
    expect(parseWorkflowCommand('::warning::100%25 done, %250A is not a newline')?.message).toBe('100% done, %0A is not a newline');
  });

  it('leaves %3A and %2C alone in the message: only properties use them', () => {
    expect(parseWorkflowCommand('::notice::a%3Ab%2Cc')?.message).toBe('a%3Ab%2Cc');
  });

  it('matches escapes case-sensitively, as the runner does', () => {
    expect(parseWorkflowCommand('::debug::a%0ab')?.message).toBe('a%0ab');
  });

  it('accepts leading blanks and any letter case in the name', () => {
    expect(parseWorkflowCommand('   ::ERROR::x')).toEqual({ name: 'error', properties: {}, message: 'x' });
  });

  it('treats lines that are not commands as plain output', () => {
    expect(parseWorkflowCommand('hello')).toBeUndefined();
    expect(parseWorkflowCommand('::error no closing marker')).toBeUndefined();
    expect(parseWorkflowCommand('::made-up::x')).toBeUndefined();
    expect(parseWorkflowCommand('x ::error::y')).toBeUndefined();
  });

  it('drops properties without a name or value, and keeps `=` inside a value', () => {
    expect(parseWorkflowCommand('::error file=,=3,line=4,,col,title=a=b::m')?.properties).toEqual({ line: '4', title: 'a=b' });
  });

  it('keeps everything after the second `::` as the message, colons included', () => {
    expect(parseWorkflowCommand('::set-output name=url::http://x:8080/a::b')).toEqual({
      name: 'set-output',
      properties: { name: 'url' },
      message: 'http://x:8080/a::b'
    });
  });

  it('recognises a custom command set (the stop-commands resume token)', () => {
    expect(parseWorkflowCommand('::token123::', new Set(['token123']))).toEqual({ name: 'token123', properties: {}, message: '' });
    expect(parseWorkflowCommand('::error::x', new Set(['token123']))).toBeUndefined();
  });

  it('loses trailing blanks of the last property, as the runner trims the property list', () => {
    expect(parseWorkflowCommand('::warning title=a  ::m')?.properties).toEqual({ title: 'a' });
    expect(parseWorkflowCommand('::warning title= ::m')?.properties).toEqual({});
  });

  it('round-trips any message and property value (without trailing blanks) through the escaping', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }).filter((title) => title.trimEnd() === title), (message, title) => {
        const parsed = parseWorkflowCommand(formatWorkflowCommand('warning', { title }, message));
        expect(parsed).toEqual({ name: 'warning', properties: { title }, message });
      })
    );
  });

  it('unescapes what it escapes', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(unescapeData(escapeData(text))).toBe(text);
        expect(unescapeProperty(escapeProperty(text))).toBe(text);
        expect(escapeData(text)).not.toMatch(/[\r\n]/);
        expect(escapeProperty(text)).not.toMatch(/[\r\n:,]/);
      })
    );
  });

  it('formats commands as @actions/core does, leaving out empty properties', () => {
    expect(formatWorkflowCommand('error', { file: 'a.ts', line: '3', title: '' }, 'boom\nnext')).toBe('::error file=a.ts,line=3::boom%0Anext');
    expect(formatWorkflowCommand('add-mask', {}, 's3cret')).toBe('::add-mask::s3cret');
  });
});

describe('parseEnvironmentFile', () => {
  it('reads name=value lines, keeping everything after the first =', () => {
    expect(parseEnvironmentFile('a=1\nb=x=y\nempty=\n')).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: 'x=y' },
      { name: 'empty', value: '' }
    ]);
  });

  it('reads heredocs as @actions/core 3 writes them, inner blank lines included', () => {
    const text = 'result<<ghadelimiter_1\nline one\n\nline three\nghadelimiter_1\nnext=2\n';
    expect(parseEnvironmentFile(text)).toEqual([
      { name: 'result', value: 'line one\n\nline three' },
      { name: 'next', value: '2' }
    ]);
  });

  it('reads an empty heredoc and one whose value holds = and <<', () => {
    expect(parseEnvironmentFile('a<<EOF\nEOF\nb<<EOF\nx=1 << 2\nEOF\n')).toEqual([
      { name: 'a', value: '' },
      { name: 'b', value: 'x=1 << 2' }
    ]);
  });

  it('decides between = and << by whichever comes first', () => {
    expect(parseEnvironmentFile('a=b<<c\n')).toEqual([{ name: 'a', value: 'b<<c' }]);
    expect(parseEnvironmentFile('a<<E=F\nv\nE=F\n')).toEqual([{ name: 'a', value: 'v' }]);
  });

  it('skips blank lines between entries and keeps repeats in order', () => {
    expect(parseEnvironmentFile('\na=1\n\na=2')).toEqual([
      { name: 'a', value: '1' },
      { name: 'a', value: '2' }
    ]);
  });

  it('keeps a carriage return, as the runner on Linux splits on \\n only', () => {
    expect(parseEnvironmentFile('a=1\r\n')).toEqual([{ name: 'a', value: '1\r' }]);
  });

  it('rejects what the runner rejects', () => {
    expect(() => parseEnvironmentFile('no separator\n')).toThrow(new EnvironmentFileError("Invalid format 'no separator'"));
    expect(() => parseEnvironmentFile('=value\n')).toThrow(/Name must not be empty/);
    expect(() => parseEnvironmentFile('<<EOF\nx\nEOF\n')).toThrow(/Name must not be empty/);
    expect(() => parseEnvironmentFile('a<<\nx\n')).toThrow(/Delimiter must not be empty/);
    expect(() => parseEnvironmentFile('a<<EOF\nx\n')).toThrow("Invalid value. Matching delimiter not found 'EOF'");
  });

  it('reads back any value written in heredoc form', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z_][\w-]*$/), fc.string(), (name, value) => {
        fc.pre(!value.includes('ghadelimiter_x'));
        const text = `${name}<<ghadelimiter_x\n${value}\nghadelimiter_x\n`;
        expect(parseEnvironmentFile(text)).toEqual([{ name, value }]);
      })
    );
  });
});

describe('parsePathFile', () => {
  it('returns one directory per non-empty line', () => {
    expect(parsePathFile('/opt/a/bin\n\n/opt/b/bin\n')).toEqual(['/opt/a/bin', '/opt/b/bin']);
  });
});
