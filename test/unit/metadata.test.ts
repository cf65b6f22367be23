// Every action's action.yml against GitHub's metadata syntax and our own conventions (node24, the
// bundle in dist/, a README whose tables match). The schema itself is tested on known-bad metadata
// first, so a schema that accepted anything could not pass these tests.
import { describe, expect, it } from '@jest/globals';
import { Ajv, type ErrorObject } from 'ajv';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { checkDocs, inputsTable, outputsTable, renderReadme } from '@deploy-actions/harness/action-docs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas/github-action.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

/** Ajv's errors, one per line, each with the place in action.yml it is about. */
function schemaErrors(metadata: unknown): string[] {
  if (validate(metadata)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

const actionNames = readdirSync(join(repoRoot, 'actions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(repoRoot, 'actions', entry.name, 'action.yml')))
  .map((entry) => entry.name)
  .sort();

const minimal = () => ({
  name: 'x',
  description: 'An action.',
  runs: { using: 'node24', main: 'index.js' } as Record<string, unknown>
});

describe('the action.yml schema', () => {
  it('accepts minimal JavaScript, composite and Docker actions', () => {
    expect(schemaErrors(minimal())).toEqual([]);
    expect(
      schemaErrors({
        name: 'c',
        description: 'Composite.',
        inputs: { who: { description: 'Who.', required: false, default: 'world' } },
        outputs: { greeting: { description: 'The greeting.', value: '${{ steps.say.outputs.text }}' } },
        runs: {
          using: 'composite',
          steps: [
            { id: 'say', run: 'echo "text=hi ${{ inputs.who }}" >> "$GITHUB_OUTPUT"', shell: 'bash', 'working-directory': '.' },
            { uses: 'actions/checkout@v5', with: { 'fetch-depth': 0 }, if: "${{ failure() }}", 'continue-on-error': true }
          ]
        },
        branding: { icon: 'activity', color: 'gray-dark' }
      })
    ).toEqual([]);
    expect(
      schemaErrors({
        name: 'd',
        description: 'Docker.',
        runs: { using: 'docker', image: 'Dockerfile', args: ['a'], env: { A: '1' }, 'post-entrypoint': 'c.sh', 'post-if': 'always()' }
      })
    ).toEqual([]);
  });

  it('rejects runs.using node12 (and node16)', () => {
    for (const using of ['node12', 'node16']) {
      const metadata = minimal();
      metadata.runs.using = using;
      expect(schemaErrors(metadata)).toContainEqual(expect.stringMatching(/^\/runs\/using must be equal to one of the allowed values/));
    }
  });

  it('rejects a missing description', () => {
    const { description: _, ...metadata } = minimal();
    expect(schemaErrors(metadata)).toContainEqual(expect.stringMatching(/^\/ must have required property 'description'/));
  });

  it('rejects an unknown runs key', () => {
    const metadata = minimal();
    metadata.runs.mian = 'index.js';
    expect(schemaErrors(metadata)).toContainEqual(expect.stringMatching(/^\/runs must NOT have additional properties \{"additionalProperty":"mian"\}/));
  });

  it('rejects other mistakes GitHub rejects or the docs rule out', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['a JavaScript action without main', { ...minimal(), runs: { using: 'node24' } }],
      ['an unknown top-level key', { ...minimal(), version: 1 }],
      ['an input without a description', { ...minimal(), inputs: { url: { required: true } } }],
      ['an input id with a space', { ...minimal(), inputs: { 'my input': { description: 'x' } } }],
      ['a string for required', { ...minimal(), inputs: { url: { description: 'x', required: 'yes' } } }],
      ['a composite output without value', { ...minimal(), runs: { using: 'composite', steps: [{ run: 'true', shell: 'bash' }] }, outputs: { o: { description: 'x' } } }],
      ['a value on a JavaScript output', { ...minimal(), outputs: { o: { description: 'x', value: 'y' } } }],
      ['a run step without shell', { ...minimal(), runs: { using: 'composite', steps: [{ run: 'true' }] } }],
      ['a step with both run and uses', { ...minimal(), runs: { using: 'composite', steps: [{ run: 'true', shell: 'bash', uses: 'a/b@v1' }] } }],
      ['a brand icon', { ...minimal(), branding: { icon: 'github', color: 'blue' } }],
      ['a Feather icon GitHub omits', { ...minimal(), branding: { icon: 'coffee', color: 'blue' } }],
      ['an unknown colour', { ...minimal(), branding: { icon: 'activity', color: 'pink' } }],
      ['post-if without post', { ...minimal(), runs: { using: 'node24', main: 'index.js', 'post-if': 'always()' } }]
    ];
    for (const [what, metadata] of cases) {
      expect({ what, rejected: schemaErrors(metadata).length > 0 }).toEqual({ what, rejected: true });
    }
  });
});

describe('the README tables generator', () => {
  const action = {
    name: 'demo',
    description: 'Demo.',
    inputs: {
      url: { description: 'Where | to go.\nSecond line.', required: true },
      mode: { description: 'Mode.', default: 'a`b' },
      old: { description: 'Old.', default: 'x', deprecationMessage: 'Use mode.' },
      list: { description: 'List.', default: 'a\nb<c>' }
    },
    outputs: { result: { description: 'The result.' } }
  };

  it('renders inputs and outputs as markdown tables, escaping what would break them', () => {
    expect(inputsTable(action)).toBe(
      [
        '| Input | Required | Default | Description |',
        '| --- | --- | --- | --- |',
        '| `url` | yes |  | Where \\| to go.<br>Second line. |',
        '| `mode` | no | ``a`b`` | Mode. |',
        '| `old` | no | `x` | Old.<br>**Deprecated:** Use mode. |',
        '| `list` | no | <code>a<br>b&lt;c&gt;</code> | List. |'
      ].join('\n')
    );
    expect(outputsTable(action)).toBe('| Output | Description |\n| --- | --- |\n| `result` | The result. |');
    expect(outputsTable({})).toBe('This action has no outputs.');
  });

  it('replaces only what lies between the markers, and is stable', () => {
    const readme = '# demo\n\nIntro.\n\n<!-- inputs:start -->\nold\n<!-- inputs:end -->\n\nMiddle.\n\n<!-- outputs:start -->\n<!-- outputs:end -->\n\nEnd.\n';
    const rendered = renderReadme(action, readme);
    expect(rendered).toContain(`Intro.\n\n<!-- inputs:start -->\n${inputsTable(action)}\n<!-- inputs:end -->\n\nMiddle.`);
    expect(rendered).toContain(`<!-- outputs:start -->\n${outputsTable(action)}\n<!-- outputs:end -->\n\nEnd.\n`);
    expect(renderReadme(action, rendered)).toBe(rendered);
  });

  it('adds missing sections, starts a missing README, and refuses broken markers', () => {
    expect(renderReadme(action, '# demo\n')).toContain('## Inputs\n\n<!-- inputs:start -->');
    expect(renderReadme(action, undefined)).toMatch(/^# demo\n\nDemo\.\n\n## Inputs\n/);
    expect(() => renderReadme(action, '<!-- inputs:end -->\n<!-- inputs:start -->\n', 'x/README.md')).toThrow(
      'x/README.md: <!-- inputs:start --> and <!-- inputs:end --> must both be present, in that order'
    );
  });
});

describe.each(actionNames)('actions/%s', (name) => {
  const metadata: unknown = parseYaml(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8'));
  const runs = (metadata as { runs?: Record<string, unknown> }).runs ?? {};

  it('follows the action metadata syntax', () => {
    expect(schemaErrors(metadata)).toEqual([]);
  });

  // Marketplace shows the icon and colour on the action's card; the schema holds both to the set
  // GitHub accepts (Feather icons less the brand ones and those GitHub omits; nine colours).
  it('has Marketplace branding: an icon and a colour GitHub accepts', () => {
    const branding = (metadata as { branding?: { icon?: unknown; color?: unknown } }).branding;
    expect({ icon: typeof branding?.icon, color: typeof branding?.color }).toEqual({ icon: 'string', color: 'string' });
    expect(schemaErrors({ ...minimal(), branding })).toEqual([]);
  });

  it('runs on node24', () => {
    expect(runs.using).toBe('node24');
  });

  it('runs its bundle from dist/', () => {
    expect(runs.main).toBe(`../../dist/${name}/main/index.js`);
    const bundle = `dist/${name}/main/index.js`;
    expect({ bundle, built: existsSync(join(repoRoot, bundle)), fix: 'npm run build' }).toEqual({ bundle, built: true, fix: 'npm run build' });
  });

  it('has a post step exactly when it has a post source, bundled to dist/', () => {
    const hasPostSource = existsSync(join(repoRoot, 'actions', name, 'src', 'post.ts'));
    expect(runs.post).toBe(hasPostSource ? `../../dist/${name}/post/index.js` : undefined);
    const bundle = `dist/${name}/post/index.js`;
    if (hasPostSource) expect({ bundle, built: existsSync(join(repoRoot, bundle)), fix: 'npm run build' }).toEqual({ bundle, built: true, fix: 'npm run build' });
  });

  it('has a README whose inputs and outputs tables match action.yml', () => {
    const stale = checkDocs(repoRoot).filter((path) => path === `actions/${name}/README.md`);
    const fix = 'node packages/harness/src/action-docs.ts';
    expect({ stale, fix }).toEqual({ stale: [], fix });
  });
});

it('finds the actions', () => {
  expect(actionNames.length).toBeGreaterThan(0);
});

// Marketplace refuses a name another listing has; ours must at least differ from one another.
it('gives every action a name of its own', () => {
  const names = actionNames.map((name) => (parseYaml(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as { name?: string }).name);
  expect(new Set(names).size).toBe(actionNames.length);
});
