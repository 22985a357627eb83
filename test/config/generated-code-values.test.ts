/**
 * Values of the definitions that reach generated code (pipeline YAML, GitHub expressions, shell lines,
 * IAM trust policies, Terraform JSON) are refused at load when they could change its meaning.
 */
import { configIssuesOf, exampleInput, FIXTURE_NODE_GROUPS, useNodeGroups } from '../support/synth';

const issuesOf = configIssuesOf;

/** Strings that would break out of a quoted rule, run a command, add a line, read a secret or glob. */
const HOSTILE = ["main'||true||'", '$(rm -rf /)', 'main\nrm -rf /', '${{ secrets.X }}', '"quoted"', '*'];

const q = (value: string) => JSON.stringify(value);
const second = (input: any) => input.environments[1];
const secondName = () => exampleInput().environments[1].name as string;
/** The first node group of the second environment, put on the fixture node groups whatever its compute mode. */
const firstNodeGroup = (input: any) => Object.values<any>(useNodeGroups(second(input)).cluster.nodeGroups)[0];
const firstNodeGroupName = () => Object.keys(FIXTURE_NODE_GROUPS)[0];

/** [field, how to set it, path of the issue, message for a value]. */
const FIELDS: [string, (input: any, v: string) => void, () => string, (v: string) => string][] = [
  [
    'ci.defaultBranch',
    (i, v) => (i.ci.defaultBranch = v),
    () => 'ci',
    (v) => `'defaultBranch' (${q(v)}) is not a safe branch name; use letters, digits, ".", "_", "/" and "-" (no quotes, spaces, "$" or "*")`,
  ],
  [
    'ci.gitlab.project',
    (i, v) => (i.ci.gitlab.project = v),
    () => 'ci.gitlab',
    (v) => `'project' (${q(v)}) is not a GitLab project path; use "group/project" of letters, digits, "_", "." and "-"`,
  ],
  [
    'ci.gitlab.host',
    (i, v) => (i.ci.gitlab.host = v),
    () => 'ci.gitlab',
    (v) => `'host' (${q(v)}) is not a host name; use the GitLab host, e.g. "gitlab.com"`,
  ],
  [
    'ci.github.repository',
    (i, v) => (i.ci.github.repository = v),
    () => 'ci.github',
    (v) => `'repository' (${q(v)}) is not a GitHub repository; use "owner/repo" of letters, digits, "_", "." and "-"`,
  ],
  [
    'state.bucket',
    (i, v) => (second(i).state.bucket = v),
    () => `${secondName()}.state`,
    (v) => `'bucket' (${q(v)}) is not an S3 bucket name; use 3–63 lowercase letters, digits, "." and "-"`,
  ],
  [
    'state.key',
    (i, v) => (second(i).state.key = v),
    () => `${secondName()}.state`,
    (v) => `'key' (${q(v)}) is not a state object key; use path segments of letters, digits, ".", "_" and "-" separated by "/"`,
  ],
  [
    'tags (value)',
    (i, v) => (second(i).tags = { team: v }),
    () => `${secondName()}.tags`,
    (v) => `'team' (${q(v)}) is not an AWS tag value; use letters, digits, spaces and "_ . : / = + - @"`,
  ],
  [
    'tags (key)',
    (i, v) => (second(i).tags = { [v]: 'platform' }),
    () => `${secondName()}.tags`,
    (v) => `'${v}' (${q(v)}) is not an AWS tag key; use letters, digits, spaces and "_ . : / = + - @"`,
  ],
  [
    'deploy.runner.gitlabTags',
    (i, v) => (second(i).deploy.runner = { gitlabTags: [v], githubLabels: ['self-hosted'] }),
    () => `${secondName()}.deploy.runner`,
    (v) => `'gitlabTags[0]' (${q(v)}) is not a runner label; use letters, digits, ".", "_" and "-", at most 63 characters`,
  ],
  [
    'deploy.runner.githubLabels',
    (i, v) => (second(i).deploy.runner = { gitlabTags: ['vpc'], githubLabels: ['self-hosted', v] }),
    () => `${secondName()}.deploy.runner`,
    (v) => `'githubLabels[1]' (${q(v)}) is not a runner label; use letters, digits, ".", "_" and "-", at most 63 characters`,
  ],
  [
    'services.<name>.env (name)',
    (i, v) => (i.services['company-web'].env = { [v]: 'x' }),
    () => 'services.company-web.env',
    (v) => `'${v}' (${q(v)}) is not an environment variable name; use letters, digits and "_"`,
  ],
  [
    'services.<name>.initContainers[].name',
    (i, v) => (i.services['company-web'].initContainers = [{ name: v }]),
    () => 'services.company-web.initContainers[0]',
    (v) => `'name' (${q(v)}) is not a valid container name (DNS-1123 label); use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
  ],
  [
    'services.<name>.health.readinessPath',
    (i, v) => (i.services['company-web'].health = { readinessPath: `/${v}` }),
    () => 'services.company-web.health',
    (v) => `'readinessPath' (${q(`/${v}`)}) is not an HTTP path; start it with "/"`,
  ],
  [
    'cluster.nodeGroups.<name>.labels (value)',
    (i, v) => (firstNodeGroup(i).labels = { role: v }),
    () => `${secondName()}.cluster.nodeGroups.${firstNodeGroupName()}.labels`,
    (v) => `'role' (${q(v)}) is not a Kubernetes label value; use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
  ],
];

describe('definition values that reach generated code', () => {
  const cases = FIELDS.flatMap(([field, set, path, message]) => HOSTILE.map((value) => [field, value, set, path, message] as const));
  test.each(cases)('%s refuses %j, naming the field', (_field, value, set, path, message) => {
    expect(issuesOf((input) => set(input, value))).toEqual([{ path: path(), message: message(value) }]);
  });

  test('the service name reaching job names is a DNS label', () => {
    const issues = issuesOf((input) => {
      input.services["web'||x"] = input.services['company-web'];
    });
    expect(issues).toContainEqual({
      path: 'services',
      message: expect.stringContaining(`("web'||x") is not a valid service name (DNS-1123 label)`),
    });
  });
});

describe('deploy.runner and a private cluster endpoint', () => {
  /** A network the runners of a private endpoint may connect from (a peered or VPN range). */
  const PEERED = '198.51.100.0/24';
  const privateWithout = (runner: object | undefined) =>
    issuesOf((input) => {
      second(input).cluster.endpointAccess = 'private';
      second(input).deploy.runner = runner;
    });
  const networksMessage = `'networks' is not set while 'cluster.endpointAccess' is "private", so the cluster security group admits no runner and the jobs cannot reach the cluster API; set deploy.runner.networks to the CIDRs the runners connect from, e.g. their subnet inside the VPC or a peered or VPN network (see docs/ci-cd.md#runners)`;
  const message = (field: string, system: string) =>
    `'${field}' is not set while 'cluster.endpointAccess' is "private", so the ${system} jobs would run on hosted runners that cannot reach the cluster API; set deploy.runner.${field} to runners inside the VPC (see docs/ci-cd.md#runners), or make the endpoint "public-and-private" with the runners' addresses in publicAccessCidrs`;

  test('fails without runners, once per configured CI system, with the exact message', () => {
    expect(privateWithout(undefined)).toEqual([
      { path: `${secondName()}.deploy.runner`, message: message('gitlabTags', 'GitLab') },
      { path: `${secondName()}.deploy.runner`, message: message('githubLabels', 'GitHub') },
      { path: `${secondName()}.deploy.runner`, message: networksMessage },
    ]);
  });

  test('fails when only one system has runners', () => {
    expect(privateWithout({ gitlabTags: ['vpc'], networks: [PEERED] })).toEqual([
      { path: `${secondName()}.deploy.runner`, message: message('githubLabels', 'GitHub') },
    ]);
  });

  test('is accepted with runners for every configured CI system', () => {
    expect(privateWithout({ gitlabTags: ['vpc'], githubLabels: ['self-hosted', 'vpc'], networks: [PEERED] })).toEqual([]);
  });

  test('fails when the runners have no network, with the exact message', () => {
    expect(privateWithout({ gitlabTags: ['vpc'], githubLabels: ['self-hosted', 'vpc'] })).toEqual([
      { path: `${secondName()}.deploy.runner`, message: networksMessage },
    ]);
  });

  test('needs no runners of a CI system the definitions do not configure', () => {
    expect(
      issuesOf((input) => {
        delete input.ci.github;
        second(input).cluster.endpointAccess = 'private';
        second(input).deploy.runner = { gitlabTags: ['vpc'], networks: [PEERED] };
      }),
    ).toEqual([]);
  });

  test('needs no runner networks when no CI system is configured', () => {
    expect(
      issuesOf((input) => {
        delete input.ci.github;
        delete input.ci.gitlab;
        second(input).cluster.endpointAccess = 'private';
        second(input).deploy.runner = undefined;
      }),
    ).toEqual([]);
  });
});
