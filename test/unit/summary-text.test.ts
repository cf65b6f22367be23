// Text from users and servers in a job summary: escaped for GitHub's markdown, so it never turns
// bold or into code, and shown back exactly, as plain text, by the CLI's terminal rendering.
import { describe, expect, it } from '@jest/globals';
import { cell, codeSpan, table } from '@deploy-actions/report';
import { renderSummary } from '@deploy-actions/cli/terminal';

const masked = 'got "auth=[***] key=[***]"';

describe('job summary markdown', () => {
  it('escapes emphasis, code and pipe characters of text in a cell or line', () => {
    expect(cell(masked)).toBe('got "auth=[\\*\\*\\*] key=[\\*\\*\\*]"');
    expect(cell('_id_ `x` ~~y~~ a|b \\n')).toBe('\\_id\\_ \\`x\\` \\~\\~y\\~\\~ a\\|b \\\\n');
  });

  it('puts text in a code span that backticks inside cannot close', () => {
    expect(codeSpan('GET http://x/a_b')).toBe('`GET http://x/a_b`');
    expect(codeSpan('a `b` c')).toBe('``a `b` c``');
    expect(codeSpan('`edge`')).toBe('`` `edge` ``');
    expect(codeSpan('a|b', { inTable: true })).toBe('`a\\|b`');
  });
});

describe('renderSummary shows the text plainly', () => {
  it('keeps masks exactly, in a line and in a table, and still shows our own emphasis plainly', () => {
    expect(renderSummary(`**Why:** ${masked}`)).toBe(`Why: ${masked}`);
    expect(renderSummary(`**Why:** ${cell(masked)}`)).toBe(`Why: ${masked}`);
    expect(renderSummary(table(['Expected', 'Actual'], [['200', masked]]))).toContain(`200       ${masked}`);
    expect(renderSummary(table(['Expected', 'Actual'], [['200', cell(masked)]]))).toContain(`200       ${masked}`);
    expect(renderSummary(`**Why:** ${masked}`, { bold: true })).toBe(`\x1b[1mWhy:\x1b[22m ${masked}`);
  });

  it('undoes the escaping once: JSON escapes in a reason stay single', () => {
    const reason = 'body {\\"id\\":1,\\"name\\":\\"\\u001b[2J\\"} does not match';
    expect(renderSummary(`**Why:** ${cell(reason)}`)).toBe(`Why: ${reason}`);
    expect(renderSummary(table(['Actual'], [[cell(reason)], [cell('a|b _c_')]]))).toBe(['Actual', '-'.repeat(reason.length), reason, 'a|b _c_'].join('\n'));
  });

  it('shows code spans as their text: file and line, request, keys', () => {
    expect(renderSummary(`### ❌ login — ${codeSpan('smoke.yml:20')}`)).toBe('❌ login — smoke.yml:20');
    expect(renderSummary(`**Request:** ${codeSpan('GET http://127.0.0.1/items/*')}`)).toBe('Request: GET http://127.0.0.1/items/*');
    expect(renderSummary(`**Request:** ${codeSpan('GET /a `b`')}`)).toBe('Request: GET /a `b`');
    expect(renderSummary(table(['Package', 'Key'], [['api', codeSpan('build-api-1f', { inTable: true })]]))).toBe(['Package  Key', '-------  ------------', 'api      build-api-1f'].join('\n'));
  });

  it('shows terminal control bytes from a body escaped, never raw: in lines, tables and code blocks', () => {
    const body = 'x\x1b]0;owned\x07\x1b[31mred\rover\x00\x7f\x9b';
    const shown = 'x\\u001b]0;owned\\u0007\\u001b[31mred\\u000dover\\u0000\\u007f\\u009b';
    // In a cell or line a CR is a line break (it would end the line on GitHub too): a space here.
    const inLine = shown.replace('\\u000d', ' ');
    const rendered = renderSummary([`**Why:** ${cell(body)}`, '', table(['Actual'], [[cell(body)]]), '', '```', body, '```', `raw ${body}`].join('\n'));
    expect(rendered).toBe([`Why: ${inLine}`, '', 'Actual', '-'.repeat(inLine.length), inLine, '', `    ${shown}`, `raw ${shown}`].join('\n'));
    // eslint-disable-next-line no-control-regex
    expect(rendered).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });
});
