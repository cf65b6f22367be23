// The pure parts of the deployment records: the status description GitHub keeps, the payload read
// back, and the run a record links to.
import { describe, expect, it } from '@jest/globals';
import { MAX_STATUS_DESCRIPTION, readPayload, runRepository, runUrl, statusDescription } from '@deploy-actions/github';

describe('statusDescription', () => {
  it('keeps a short line as it is and joins lines', () => {
    expect(statusDescription('rolled back:\n  error rate 12 %')).toBe('rolled back: error rate 12 %');
  });

  it('cuts at 140 code points with an ellipsis, never inside a surrogate pair', () => {
    const cut = statusDescription('🚀'.repeat(200));
    expect([...cut]).toHaveLength(MAX_STATUS_DESCRIPTION);
    expect(cut.endsWith('🚀…')).toBe(true);
    expect(statusDescription('x'.repeat(140))).toBe('x'.repeat(140));
  });
});

describe('readPayload', () => {
  it('reads an object or its JSON text, and nothing without provider, worker and version id', () => {
    const payload = { provider: 'cloudflare', worker: 'shop', versionId: 'v-1', reason: 'r' };
    expect(readPayload(payload)).toEqual(payload);
    expect(readPayload(JSON.stringify(payload))).toEqual(payload);
    for (const other of [{}, '', '{bad', 'null', { provider: 'cloudflare', worker: 'shop', versionId: '' }, { provider: 'cloudflare', worker: 7, versionId: 'v' }]) {
      expect(readPayload(other)).toBeUndefined();
    }
  });
});

describe('the run a record links to', () => {
  const env = { GITHUB_SERVER_URL: 'https://github.example/', GITHUB_REPOSITORY: 'octo-org/shop', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' };

  it('is the run’s attempt on the server the runner names', () => {
    expect(runUrl(env)).toBe('https://github.example/octo-org/shop/actions/runs/42/attempts/2');
    expect(runUrl({ ...env, GITHUB_RUN_ATTEMPT: '' })).toBe('https://github.example/octo-org/shop/actions/runs/42');
    expect(runUrl({ GITHUB_REPOSITORY: 'octo-org/shop' })).toBeUndefined();
  });

  it('belongs to GITHUB_REPOSITORY', () => {
    expect(runRepository(env)).toEqual({ owner: 'octo-org', repo: 'shop' });
    for (const repository of ['', 'octo-org', 'a/b/c']) expect(runRepository({ GITHUB_REPOSITORY: repository })).toBeUndefined();
  });
});
