/** ClusterAutoscaler from plain values, in a bare chart, and the validation of its props. */
import { App, Chart, Testing } from 'cdk8s';
import { ValidationError } from '../../config';
import { CLUSTER_AUTOSCALER_PORT, CLUSTER_AUTOSCALER_RELEASES, ClusterAutoscaler, IAM_ROLE_ARN_ANNOTATION, clusterAutoscalerImage, type ClusterAutoscalerProps } from '../../k8s';
import { validateKubernetesObjects } from '../../testing';
import { containerOf, find } from './helpers';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/platform-eu-cluster-autoscaler';
const VERSION = Object.keys(CLUSTER_AUTOSCALER_RELEASES)[0];
const PROPS: ClusterAutoscalerProps = { clusterName: 'platform-eu', region: 'eu-west-1', vpcCidr: '10.8.0.0/16', roleArn: ROLE_ARN, kubernetesVersion: VERSION };

function synth(props: ClusterAutoscalerProps): any[] {
  const chart = new Chart(new App(), 'platform', { disableResourceNameHashes: true });
  new ClusterAutoscaler(chart, 'ClusterAutoscaler', props);
  return Testing.synth(chart);
}

describe('ClusterAutoscaler from flat props', () => {
  const objects = synth(PROPS);
  const deployment = find(objects, 'Deployment', 'cluster-autoscaler');
  const container = containerOf(deployment, 'cluster-autoscaler');

  test('renders objects that pass strict schema validation', () => {
    expect(() => validateKubernetesObjects(objects)).not.toThrow();
  });

  test('discovers the named cluster\'s node groups in the given region with the image of its minor', () => {
    expect(container.args).toContain('--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/platform-eu');
    expect(container.env).toEqual([{ name: 'AWS_REGION', value: 'eu-west-1' }]);
    expect(container.image).toBe(clusterAutoscalerImage(VERSION));
  });

  test('annotates the ServiceAccount with the role and admits the VPC on its port', () => {
    expect(find(objects, 'ServiceAccount', 'cluster-autoscaler').metadata.annotations).toEqual({ [IAM_ROLE_ARN_ANNOTATION]: ROLE_ARN });
    expect(find(objects, 'NetworkPolicy', 'cluster-autoscaler').spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '10.8.0.0/16' } }], ports: [{ protocol: 'TCP', port: CLUSTER_AUTOSCALER_PORT }] }]);
  });

  test('runs a given image and writes no role annotation without a role', () => {
    const own = synth({ ...PROPS, roleArn: undefined, kubernetesVersion: undefined, image: 'registry.example.com/cluster-autoscaler:v9.9.9' });
    expect(containerOf(find(own, 'Deployment', 'cluster-autoscaler'), 'cluster-autoscaler').image).toBe('registry.example.com/cluster-autoscaler:v9.9.9');
    expect(find(own, 'ServiceAccount', 'cluster-autoscaler').metadata.annotations).toBeUndefined();
  });

  test('lists every problem of its props in one error', () => {
    let error: unknown;
    try {
      synth({ clusterName: '-bad', region: 'europe', vpcCidr: '10.8.0.0', roleArn: 'role', kubernetesVersion: '1.2', resources: { cpuRequest: '2', cpuLimit: '1', memory: '600MB' } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => [i.path, i.field])).toEqual(
      ['clusterName', 'region', 'vpcCidr', 'roleArn', 'kubernetesVersion', 'resources.cpuRequest', 'resources.memory'].map((f) => ['platform/ClusterAutoscaler', f]),
    );
    expect((error as ValidationError).issues[5].message).toBe(`'resources.cpuRequest' ("2") must be <= 'resources.cpuLimit' ("1"); raise cpuLimit or lower cpuRequest`);
  });
});
