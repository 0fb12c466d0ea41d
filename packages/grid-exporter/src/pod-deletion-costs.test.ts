import { expect, test } from 'vitest';
import { buildGridData } from './build-grid-data.ts';
import { parseGridState } from './parse-grid-state.ts';
import { DELETION_COST, POD_DELETION_COST, podDeletionCosts } from './pod-deletion-costs.ts';

const CHROME = { browserName: 'chrome' };

test('busy, about-to-be-busy, idle, unmapped and formerly annotated pods', () => {
  const state = parseGridState(
    buildGridData(
      [
        {
          id: 'n-busy',
          uri: 'http://10.0.0.1:5555',
          stereotypes: [{ slots: 1, stereotype: CHROME }],
          sessions: [CHROME],
        },
        { id: 'n-next', uri: 'http://10.0.0.2:5555', stereotypes: [{ slots: 1, stereotype: CHROME }] },
        {
          id: 'n-idle',
          uri: 'http://chrome-7d9f-abc.selenium.svc:5555',
          stereotypes: [{ slots: 1, stereotype: CHROME }],
        },
        {
          id: 'n-v6',
          uri: 'http://[fd00::5]:5555',
          stereotypes: [{ slots: 1, stereotype: CHROME }],
          sessions: [CHROME],
        },
      ],
      [],
    ),
  );
  const costs = podDeletionCosts(
    [
      { name: 'chrome-busy', ips: ['10.0.0.1'], annotations: {} },
      { name: 'chrome-next', ips: ['10.0.0.2'], annotations: {} },
      { name: 'chrome-7d9f-abc', ips: ['10.0.0.3'], annotations: {} },
      { name: 'chrome-v6', ips: ['10.0.0.9', 'fd00::5'], annotations: {} },
      { name: 'chrome-starting', ips: [], annotations: {} },
      { name: 'chrome-gone', ips: ['10.0.0.4'], annotations: { [POD_DELETION_COST]: '1000' } },
    ],
    state.nodes,
    new Set(['n-next']),
  );
  expect(Object.fromEntries(costs)).toEqual({
    'chrome-busy': DELETION_COST.busy,
    'chrome-next': DELETION_COST.busy,
    'chrome-7d9f-abc': DELETION_COST.idle,
    'chrome-v6': DELETION_COST.busy,
    'chrome-starting': undefined,
    'chrome-gone': DELETION_COST.unknown,
  });
});
