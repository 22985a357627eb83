import { ApiObject, Testing } from 'cdk8s';
import { baseEgressRules, dnsEgressRule, KubeNetworkPolicy, POD_IDENTITY_AGENT_CIDR, serviceEgressRules, typedApiObject } from '../../k8s';
import { definitionsWith, serviceOf } from './helpers';

/** The egress rules as a rendered NetworkPolicy holds them. */
function rendered(egress: ReturnType<typeof baseEgressRules>): any[] {
  const chart = Testing.chart();
  const policy: ApiObject = typedApiObject(chart, 'Policy', KubeNetworkPolicy, {
    metadata: { name: 'allow-egress' },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress },
  });
  return policy.toJson().spec.egress;
}

describe('baseEgressRules', () => {
  test('allows DNS to CoreDNS in kube-system on UDP and TCP 53, then the Pod Identity agent on TCP 80', () => {
    expect(rendered(baseEgressRules())).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] },
    ]);
    expect(POD_IDENTITY_AGENT_CIDR).toBe('169.254.170.23/32');
  });

  test('returns fresh rules on every call, so a caller changing them does not change another', () => {
    const first = baseEgressRules();
    first.pop();
    expect(baseEgressRules()).toHaveLength(2);
  });
});

describe('serviceEgressRules', () => {
  test("allows each of the service's egress destinations on its protocol and ports, in definition order", () => {
    const defs = definitionsWith((input) => {
      input.services['company-web'].egress = [
        { cidr: '10.1.0.0/16', ports: [5432, 6432], description: 'databases' },
        { cidr: '10.2.0.0/16', protocol: 'UDP', ports: [514], description: 'syslog' },
      ];
    });
    const service = serviceOf(defs, 'staging', 'company-web');
    expect(rendered(serviceEgressRules(service))).toEqual([
      {
        to: [{ ipBlock: { cidr: '10.1.0.0/16' } }],
        ports: [
          { protocol: 'TCP', port: 5432 },
          { protocol: 'TCP', port: 6432 },
        ],
      },
      { to: [{ ipBlock: { cidr: '10.2.0.0/16' } }], ports: [{ protocol: 'UDP', port: 514 }] },
    ]);
  });

  test('returns no rules for a service without egress destinations', () => {
    const defs = definitionsWith((input) => {
      input.services['company-web'].egress = [];
    });
    expect(serviceEgressRules(serviceOf(defs, 'staging', 'company-web'))).toEqual([]);
  });
});

describe('dnsEgressRule', () => {
  test('is the first of the base egress rules, so every pod resolves names the same way', () => {
    expect(rendered([dnsEgressRule()])).toEqual(rendered(baseEgressRules()).slice(0, 1));
    expect(rendered([dnsEgressRule()])[0].ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
  });
});
