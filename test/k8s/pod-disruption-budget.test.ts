import { Testing } from 'cdk8s';
import { podDisruptionBudget } from '../../k8s';

const SELECTOR = { 'app.kubernetes.io/name': 'payments', 'app.kubernetes.io/instance': 'payments-staging' };

/** The PodDisruptionBudgets a chart renders after `build` ran in it. */
function render(build: (chart: ReturnType<typeof Testing.chart>) => void): any[] {
  const chart = Testing.chart();
  build(chart);
  return Testing.synth(chart).filter((o) => o.kind === 'PodDisruptionBudget');
}

describe('podDisruptionBudget', () => {
  test('allows one eviction at a time and always evicts unhealthy pods, selecting the workload', () => {
    const [pdb] = render((chart) => podDisruptionBudget(chart, { name: 'payments', namespaceName: 'payments', selectorLabels: SELECTOR }));
    expect(pdb).toMatchSnapshot();
    expect(pdb.metadata).toEqual({ name: 'payments', namespace: 'payments' });
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('labels the budget with the given labels', () => {
    const labels = { ...SELECTOR, 'app.kubernetes.io/version': '1.4.2' };
    const [pdb] = render((chart) => podDisruptionBudget(chart, { name: 'payments', namespaceName: 'payments', selectorLabels: SELECTOR, labels }));
    expect(pdb.metadata.labels).toEqual(labels);
  });

  test('uses PodDisruptionBudget as the construct id by default and the given id otherwise', () => {
    const chart = Testing.chart();
    const first = podDisruptionBudget(chart, { name: 'a', namespaceName: 'payments', selectorLabels: SELECTOR });
    const second = podDisruptionBudget(chart, { name: 'b', namespaceName: 'payments', selectorLabels: SELECTOR, id: 'SecondBudget' });
    expect(first.node.id).toBe('PodDisruptionBudget');
    expect(second.node.id).toBe('SecondBudget');
  });
});
