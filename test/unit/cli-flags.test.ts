// The CLI's flags read against the real action.yml files, and the terminal rendering of what an
// action reports (its job summary, its outputs).
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { readActionMetadata } from '@deploy-actions/harness';
import { isBoolean, parseFlags, takesLines } from '@deploy-actions/cli';
import { renderOutputs, renderSummary } from '@deploy-actions/cli/terminal';

const metadata = (name: string) => readActionMetadata(fileURLToPath(new URL(`../../actions/${name}`, import.meta.url)));
const healthCheck = metadata('health-check');

describe('which inputs take lines, which are booleans (from action.yml)', () => {
  // What each action's inputs.ts reads line by line; a description that stops saying so fails here.
  it.each([
    ['health-check', ['url', 'headers', 'secret-headers', 'expected-headers', 'json-path'], ['follow-redirects', 'insecure', 'jitter']],
    ['smoke-test', ['spec', 'only', 'headers', 'vars', 'compare-headers'], ['fail-fast', 'insecure']],
    ['build-cache-key', ['files', 'extra', 'packages', 'path'], ['enable-cross-os-archive', 'fail-on-cache-miss', 'lookup-only']]
  ])('%s', (name, lines, booleans) => {
    const inputs = Object.entries(metadata(name).inputs ?? {});
    expect(inputs.filter(([, spec]) => takesLines(spec)).map(([input]) => input).sort()).toEqual([...lines].sort());
    expect(inputs.filter(([, spec]) => isBoolean(spec)).map(([input]) => input).sort()).toEqual([...booleans].sort());
  });
});

describe('parseFlags', () => {
  it('takes --name value and --name=value; an input that takes lines may repeat, a line per flag', () => {
    expect(parseFlags(['--url', 'http://a', '--url=http://b', '--deadline', '5s', '--body=--raw--'], healthCheck)).toEqual({
      url: 'http://a\nhttp://b',
      deadline: '5s',
      body: '--raw--'
    });
  });

  it('a single-value input given twice is an error naming it, whatever the values', () => {
    expect(() => parseFlags(['--url', 'http://a', '--deadline', '5s', '--deadline', '3s'], healthCheck)).toThrow(
      '--deadline is given more than once; it takes one value (only inputs that take one item per line may repeat)'
    );
    expect(() => parseFlags(['--insecure', '--insecure'], healthCheck)).toThrow('--insecure is given more than once');
  });

  it('a boolean input alone is true; any other input needs a value', () => {
    expect(parseFlags(['--insecure', '--jitter', 'false', '--follow-redirects'], healthCheck)).toEqual({ insecure: 'true', jitter: 'false', 'follow-redirects': 'true' });
    const needsValue = '--url needs a value: --url <value>, or --url=<value> for a value that starts with --';
    expect(() => parseFlags(['--url'], healthCheck)).toThrow(needsValue);
    expect(() => parseFlags(['--url', '--insecure'], healthCheck)).toThrow(needsValue);
    expect(() => parseFlags(['--deadline', '--url', 'http://a'], healthCheck)).toThrow('--deadline needs a value');
  });

  it('an unknown input or a stray argument is an error', () => {
    expect(() => parseFlags(['--urls', 'x'], healthCheck)).toThrow(/^unknown input --urls; this action's inputs: --url --method /);
    expect(() => parseFlags(['http://a'], healthCheck)).toThrow('unexpected argument "http://a"; inputs are given as --<input> <value>');
  });
});

describe('renderSummary', () => {
  const summary = [
    '## ✅ Done',
    '',
    '**Why:** it passed',
    '',
    '| Package | Changed |',
    '| --- | --- |',
    '| services/api | **yes** (not looked up) |',
    '| services/web-long-name | no |',
    '',
    '```',
    '{"a": "**not markdown**"}',
    '| not | a table |',
    '```',
    'after'
  ].join('\n');

  it('shows emphasis as plain text, in tables too, and aligns the columns on what is left', () => {
    expect(renderSummary(summary)).toBe(
      [
        '✅ Done',
        '',
        'Why: it passed',
        '',
        'Package                 Changed',
        '----------------------  -------------------',
        'services/api            yes (not looked up)',
        'services/web-long-name  no',
        '',
        '    {"a": "**not markdown**"}',
        '    | not | a table |',
        'after'
      ].join('\n')
    );
  });

  it('shows emphasis in bold for a terminal, the columns aligned on the visible text', () => {
    const bold = renderSummary(summary, { bold: true }).split('\n');
    expect(bold[2]).toBe('\x1b[1mWhy:\x1b[22m it passed');
    expect(bold[6]).toBe('services/api            \x1b[1myes\x1b[22m (not looked up)');
    expect(bold.join('\n')).not.toContain('**yes**');
  });
});

describe('renderOutputs', () => {
  it('shows a one-line value as name=value and a value of several lines as an indented block', () => {
    expect(renderOutputs({ key: 'demo-app-1f', 'restore-keys': 'demo-app-\ndemo-', 'matched-key': '', 'cache-hit': 'false' })).toBe(
      ['key=demo-app-1f', 'restore-keys:', '    demo-app-', '    demo-', 'matched-key=', 'cache-hit=false'].join('\n')
    );
  });
});
