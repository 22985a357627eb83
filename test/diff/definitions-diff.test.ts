/** Pairs of definitions from the built-in example, synthesized and compared. */
import { renderText } from '../../cli/diff/render-text';
import { environmentSummary, totalSummary } from '../../cli/diff/report-lines';
import { diffDirs, envOf, itemAt, linesOf, rulesOf, synthPair } from './support';

describe('deploykit diff on synthesized definitions', () => {
  test('an output compared with itself reports no changes', () => {
    const { base } = synthPair(() => undefined);
    const report = diffDirs(base, base);
    expect(report.environments.map(environmentSummary)).toEqual(['dev: No changes.', 'staging: No changes.', 'prod: No changes.']);
    expect(totalSummary(report)).toBe('No changes.');
    expect(report.totals).toEqual({ added: 0, removed: 0, changed: 0, moved: 0, risky: 0 });
  });

  test('lowering the HPA minimum in prod is one field change flagged as lowering production capacity', () => {
    const { base, head } = synthPair((input) => {
      input.environments[2].services['company-web'].autoscaling.minReplicas = 2;
    });
    const report = diffDirs(base, head);
    expect(report.environments.map(environmentSummary)).toEqual([
      'dev: No changes.',
      'staging: No changes.',
      'prod: 1 changed, 0 added, 0 removed · 1 risky',
    ]);
    expect(linesOf(itemAt(envOf(report, 'prod'), 'HorizontalPodAutoscaler/company-web/company-web'))).toEqual([
      '~ HorizontalPodAutoscaler/company-web/company-web',
      '    ~ spec.minReplicas: 3 → 2',
      '    ! lowers-production-replicas: lowers the minimum capacity of a production environment (spec.minReplicas 3 → 2)',
    ]);
  });

  test('raising the HPA minimum in prod is not risky', () => {
    const { base, head } = synthPair((input) => {
      input.environments[2].services['company-web'].autoscaling.minReplicas = 4;
    });
    const hpa = itemAt(envOf(diffDirs(base, head), 'prod'), 'HorizontalPodAutoscaler/company-web/company-web');
    expect(hpa.fields).toEqual([{ path: 'spec.minReplicas', action: 'changed', before: 3, after: 4 }]);
    expect(hpa.risks).toEqual([]);
  });

  test('a new service in dev adds its objects and nothing is removed', () => {
    const { base, head } = synthPair((input) => {
      input.services['company-admin'] = { ...structuredClone(input.services['company-web']), image: { tag: '0.1.0' }, egress: [], ingressFromNamespaces: [] };
      input.environments[0].services['company-admin'] = {};
    });
    const dev = envOf(diffDirs(base, head), 'dev');
    const added = dev.kubernetes.filter((i) => i.action === 'added').map((i) => i.address);
    expect(added).toEqual(expect.arrayContaining(['Namespace/company-admin', 'Deployment/company-admin/company-admin', 'Service/company-admin/company-admin']));
    expect(dev.terraform.filter((i) => i.action === 'added').map((i) => i.type)).toEqual(expect.arrayContaining(['aws_ecr_repository']));
    expect(dev.counts.removed).toBe(0);
    expect(dev.counts.risky).toBe(0);
  });

  test('an image tag changing from a commit SHA to latest in dev is flagged as mutable', () => {
    // `--image-tag latest` is refused (immutable ECR tags); a development environment may still pin image.tag latest.
    const toLatest = (input: any) => {
      const dev = input.environments.find((e: any) => e.name === 'dev');
      dev.services['company-web'] = { ...dev.services['company-web'], image: { tag: 'latest' } };
    };
    const { base, head } = synthPair(toLatest, { baseImageTag: '3f2c9a1', environments: ['dev'] });
    const dev = envOf(diffDirs(base, head), 'dev');
    const web = itemAt(dev, 'Deployment/company-web/company-web');
    expect(linesOf(web)).toContain(
      '    ~ spec.template.spec.containers[http].image: "111111111111.dkr.ecr.ap-east-1.amazonaws.com/company-web:3f2c9a1" → "111111111111.dkr.ecr.ap-east-1.amazonaws.com/company-web:latest"',
    );
    expect(web.risks).toEqual([
      {
        rule: 'mutable-image-tag',
        reason:
          'image tag is mutable (latest, or neither a commit SHA nor a semantic version): what runs can change without a deploy (111111111111.dkr.ecr.ap-east-1.amazonaws.com/company-web:latest)',
      },
    ]);
  });

  test('a cluster version bump changes only the EKS cluster version and is not risky', () => {
    const { base, head } = synthPair((input) => {
      input.environments[2].cluster.kubernetesVersion = '1.36';
    });
    const report = diffDirs(base, head);
    const prod = envOf(report, 'prod');
    const cluster = itemAt(prod, 'aws_eks_cluster');
    expect(linesOf(cluster)).toEqual([`~ ${cluster.address}`, '    ~ version: "1.35" → "1.36"']);
    expect(prod.counts.risky).toBe(0);
  });

  test('a VPC CIDR change forces replacement of the VPC and its subnets', () => {
    const { base, head } = synthPair((input) => {
      input.environments[0].network.vpcCidr = '10.11.0.0/16';
      // Runner networks of a public endpoint must be inside the VPC (or publicAccessCidrs): move them along.
      input.environments[0].deploy.runner = { ...input.environments[0].deploy.runner, networks: ['10.11.255.0/24'] };
    });
    const dev = envOf(diffDirs(base, head), 'dev');
    const vpc = itemAt(dev, 'aws_vpc');
    expect(linesOf(vpc)).toEqual([
      `~ ${vpc.address}`,
      '    ~ cidr_block: "10.10.0.0/16" → "10.11.0.0/16"',
      '    ! replaces-stateful-resource: forces replacement of a stateful resource: Terraform destroys and recreates it (cidr_block)',
    ]);
    const subnets = dev.terraform.filter((i) => i.type === 'aws_subnet');
    expect(subnets.length).toBeGreaterThan(0);
    for (const subnet of subnets) expect(rulesOf(subnet)).toEqual(['replaces-stateful-resource']);
  });

  test('a new 0.0.0.0/0 egress is flagged as opening to the internet in every environment', () => {
    const { base, head } = synthPair((input) => {
      input.services['company-api'].egress.push({ cidr: '0.0.0.0/0', ports: [443], description: 'internet' });
    });
    const report = diffDirs(base, head);
    for (const env of report.environments) {
      const risky = [...env.terraform, ...env.kubernetes].filter((i) => i.risks.length > 0);
      expect(risky.map((i) => rulesOf(i))).toEqual(risky.map(() => ['opens-to-internet']));
      expect(risky.length).toBeGreaterThan(0);
    }
    expect(renderText(report)).toContain('! opens-to-internet: new 0.0.0.0/0 (or ::/0): network access widens to the whole internet');
  });
});
