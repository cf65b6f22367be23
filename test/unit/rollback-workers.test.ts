// Several Workers: everything read before anything changes, rolled back in the order given, and a
// failure reported where it happened, with the ones after it not attempted.
import { describe, expect, it } from '@jest/globals';
import { ProviderError } from '@deploy-actions/providers';
import { Masker } from '@deploy-actions/report';
import { describeError, executePlans, planWorkers } from '../../actions/rollback/src/rollback.js';
import { outputs, renderSummary } from '../../actions/rollback/src/summary.js';
import { FakeTrafficProvider, history, versions } from '../helpers/fake-traffic-provider.js';

function fleet(journal: string[]) {
  return ['gateway', 'users', 'orders'].map((worker) => ({
    worker,
    provider: new FakeTrafficProvider({ deployments: history(`${worker}-v1`, `${worker}-v2`), versions: versions(`${worker}-v1`, `${worker}-v2`) }, { worker, journal })
  }));
}

describe('rolling back several Workers', () => {
  it('reads every Worker first, then rolls them back one at a time in the order given', async () => {
    const journal: string[] = [];
    const workers = fleet(journal);
    const { plans, failures } = await planWorkers(workers, { kind: 'previous' });
    expect(failures).toEqual([]);
    const reads = journal.length;
    // previous needs the history alone: its newest deployment is the one serving.
    expect(journal).toEqual(['gateway listDeployments', 'users listDeployments', 'orders listDeployments']);
    const outcomes = await executePlans(plans, { message: 'incident 42', force: false });
    expect(journal.slice(reads)).toEqual(['gateway rollback gateway-v1', 'users rollback users-v1', 'orders rollback orders-v1']);
    expect(outcomes.map((o) => [o.worker, o.status, o.from, o.to])).toEqual([
      ['gateway', 'rolled-back', 'gateway-v2', 'gateway-v1'],
      ['users', 'rolled-back', 'users-v2', 'users-v1'],
      ['orders', 'rolled-back', 'orders-v2', 'orders-v1']
    ]);
    expect(workers[0]!.provider.state.deployments[0]).toMatchObject({ versions: [{ versionId: 'gateway-v1', percentage: 100 }], message: 'incident 42' });
    const values = outputs({ outcomes, planFailures: [], verified: 'skipped', durationMs: 12 }, true);
    expect(JSON.parse(values['rolled-back-from']!)).toEqual({ gateway: 'gateway-v2', users: 'users-v2', orders: 'orders-v2' });
    expect(JSON.parse(values['rolled-back-to']!)).toEqual({ gateway: 'gateway-v1', users: 'users-v1', orders: 'orders-v1' });
    expect(Object.keys(JSON.parse(values['deployment-id']!))).toEqual(['gateway', 'users', 'orders']);
  });

  it('changes nothing when one Worker has no target, and names it', async () => {
    const journal: string[] = [];
    const workers = fleet(journal);
    workers[2]!.provider.state.deployments.splice(1);
    const { plans, failures } = await planWorkers(workers, { kind: 'previous' });
    expect(plans.map((p) => p.worker)).toEqual(['gateway', 'users']);
    expect(failures.map((f) => [f.worker, f.error.message])).toEqual([['orders', 'no earlier deployment served one version at 100 % other than what serves now (orders-v2 100 %): there is nothing to roll back to']]);
    expect(journal.filter((call) => call.includes('rollback'))).toEqual([]);
  });

  it('stops at the first failure: earlier Workers stay rolled back, later ones are not attempted, the error keeps the platform\'s code and stderr', async () => {
    const journal: string[] = [];
    const workers = fleet(journal);
    const busy = new ProviderError('Cloudflare API error 10013: the service is busy', 10013, '✘ [ERROR] A request to the Cloudflare API failed.\nthe service is busy [code: 10013]');
    workers[1]!.provider.refuse = (call) => (call === 'rollback' ? busy : undefined);
    const { plans } = await planWorkers(workers, { kind: 'previous' });
    const outcomes = await executePlans(plans, { message: 'm', force: false });
    expect(outcomes.map((o) => o.status)).toEqual(['rolled-back', 'failed', 'not-attempted']);
    expect(journal.filter((call) => call.includes('rollback'))).toEqual(['gateway rollback gateway-v1', 'users rollback users-v1']);
    expect(describeError(outcomes[1]!.error!)).toBe('Cloudflare API error 10013: the service is busy');
    const report = { outcomes, planFailures: [], verified: 'skipped' as const, durationMs: 5 };
    const values = outputs(report, true);
    expect(JSON.parse(values['rolled-back-to']!)).toEqual({ gateway: 'gateway-v1' });
    const summary = renderSummary(report, new Masker());
    expect(summary).toContain('## ❌ Rollback failed at users');
    expect(summary).toMatch(/^\| gateway \| ✅ rolled back \| `gateway-v2 100 %` \| `gateway-v1` \| `gateway-dep-3` \| – \| \d+(\.\d+)?ms \|$/m);
    expect(summary).toMatch(/^\| users \| ❌ failed \| `users-v2 100 %` \| `users-v1` \| – \| – \| \d+(\.\d+)?ms \|$/m);
    expect(summary).toContain('| orders | ⏹️ not attempted | `orders-v2 100 %` | `orders-v1` | – | – | – |');
    expect(summary).toContain('the service is busy [code: 10013]');
  });

  it('keeps a refusal for changed secrets as the platform said it, and passes force through', async () => {
    const [gateway] = fleet([]);
    const refusal = 'Cloudflare refused to roll gateway back to gateway-v1 (code 10220): the secrets DB_URL, API_KEY changed since that version was uploaded';
    const changed = new ProviderError(refusal, 10220, undefined, ['DB_URL', 'API_KEY']);
    gateway!.provider.refuse = (call) => (call === 'rollback' ? changed : undefined);
    const { plans } = await planWorkers([gateway!], { kind: 'previous' });
    const [outcome] = await executePlans(plans, { message: 'm', force: false });
    expect(outcome!.status).toBe('failed');
    expect(describeError(outcome!.error!)).toBe(refusal);
    // A code the message does not state is added to it.
    expect(describeError(new ProviderError('Cloudflare refused to roll gateway back', 10021))).toBe('Cloudflare refused to roll gateway back (code 10021)');
    gateway!.provider.refuse = undefined;
    await executePlans(plans, { message: 'm', force: true });
    expect(gateway!.provider.calls.filter((c) => c.startsWith('rollback'))).toEqual(['rollback gateway-v1', 'rollback gateway-v1 --force']);
  });

  it('without a view of what serves now, goes to the version asked for and reads nothing', async () => {
    const [gateway] = fleet([]);
    const { plans } = await planWorkers([gateway!], { kind: 'version', id: 'gateway-v2' }, { blind: { leaving: 'gateway-v3' } });
    expect(plans[0]).toMatchObject({ from: 'gateway-v3', target: { versionId: 'gateway-v2', alreadyServing: false } });
    expect(gateway!.provider.calls).toEqual([]);
    const refused = await planWorkers([gateway!], { kind: 'previous' }, { blind: {} });
    expect(refused.failures[0]!.error.message).toBe('to: previous needs to know what serves now, which fake Worker gateway cannot tell');
  });

  it('when the job is cancelled, finishes the Worker being rolled back and leaves the ones after it', async () => {
    const journal: string[] = [];
    const workers = fleet(journal);
    const cancel = new AbortController();
    // The cancellation arrives while the gateway is being rolled back.
    const rollback = workers[0]!.provider.rollback.bind(workers[0]!.provider);
    workers[0]!.provider.rollback = async (id, options) => {
      cancel.abort();
      return rollback(id, options);
    };
    const { plans } = await planWorkers(workers, { kind: 'previous' });
    const outcomes = await executePlans(plans, { message: 'm', force: false, signal: cancel.signal });
    expect(outcomes.map((o) => o.status)).toEqual(['rolled-back', 'not-attempted', 'not-attempted']);
    expect(journal.filter((call) => call.includes('rollback'))).toEqual(['gateway rollback gateway-v1']);
    const summary = renderSummary({ outcomes, planFailures: [], verified: 'skipped', cancelled: true, durationMs: 3 }, new Masker());
    expect(summary).toContain('## ⏹️ Rollback cancelled: 2 Workers not attempted');
  });

  it('does not call the platform for a Worker whose target already serves alone', async () => {
    const [gateway] = fleet([]);
    const { plans } = await planWorkers([gateway!], { kind: 'version', id: 'gateway-v2' });
    const [outcome] = await executePlans(plans, { message: 'm', force: false });
    expect(outcome).toMatchObject({ status: 'already-serving', from: 'gateway-v2', to: 'gateway-v2', deploymentId: 'dep-2' });
    expect([...gateway!.provider.calls].sort()).toEqual(['currentDeployment', 'listVersions']);
    expect(outputs({ outcomes: [outcome!], planFailures: [], verified: 'skipped', durationMs: 1 }, false)).toEqual({
      'rolled-back-from': 'gateway-v2',
      'rolled-back-to': 'gateway-v2',
      'deployment-id': 'dep-2',
      verified: 'skipped',
      'duration-ms': '1'
    });
  });
});
