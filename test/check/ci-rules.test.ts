import { CI_RULES, imageTagFromSha, noStaticKeys, productionManualGate, verifyFailsAndRollsBack } from '../../policy/rules/ci-pipelines';
import { privateEndpointRunners } from '../../policy/rules/ci-runners';
import { findingsOf, fixtureContext, fixtureProject, resources } from './rule-fixtures';

const envs = () => ['dev', 'staging', 'prod'].map((env) => fixtureContext({ env }));

/** A GitLab pipeline that passes every CI rule; `prodWhen` and `verify` vary it. */
function gitlab({ prodWhen = 'manual', verify = 'kubectl rollout status deployment/web --timeout=300s || { kubectl rollout undo deployment/web; exit 1; }', extra = '' } = {}) {
  return `
variables:
  IMAGE_TAG: $CI_COMMIT_SHA
build:
  script:
    - docker build -t registry.example.com/web:$IMAGE_TAG .
    - npx deploykit synth --image-tag "$IMAGE_TAG"
${['dev', 'staging', 'prod']
  .map(
    (env) => `deploy:${env}:
  environment: { name: ${env} }
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
      when: ${env === 'prod' ? prodWhen : 'on_success'}
  script:
    - kubectl apply -f dist/${env}/kubernetes/
    - ${verify}
`,
  )
  .join('')}${extra}`;
}

describe('CI rules', () => {
  test('a pipeline with OIDC, SHA tags, a manual production gate and verify-with-rollback passes every CI rule', () => {
    const project = fixtureProject(envs(), { gitlab: gitlab() });
    for (const rule of CI_RULES) expect(findingsOf(rule, project)).toEqual([]);
  });

  test('static AWS keys are reported with their line', () => {
    const project = fixtureProject(envs(), { gitlab: `${gitlab()}lint:\n  variables:\n    AWS_SECRET_ACCESS_KEY: $SECRET\n  script: [aws s3 ls]\n` });
    expect(findingsOf(noStaticKeys, project).map((f) => f.value)).toEqual([expect.stringMatching(/^line \d+: AWS_SECRET_ACCESS_KEY$/)]);
  });

  test('image tags not derived from the commit SHA are reported', () => {
    const text = gitlab().replace('--image-tag "$IMAGE_TAG"', '--image-tag 1.0.0').replace('web:$IMAGE_TAG', 'web:latest');
    const project = fixtureProject(envs(), { gitlab: text });
    expect(findingsOf(imageTagFromSha, project).map((f) => f.value.replace(/^line \d+: /, ''))).toEqual(['registry.example.com/web:latest', '--image-tag 1.0.0']);
  });

  test('a production deploy without a manual gate is reported; one that needs a manual job passes', () => {
    const ungated = fixtureProject(envs(), { gitlab: gitlab({ prodWhen: 'on_success' }) });
    expect(findingsOf(productionManualGate, ungated)).toEqual([{ target: '.gitlab-ci.yml#deploy:prod', value: 'not manual, needs no manual job' }]);
    const chained = gitlab({ prodWhen: 'on_success' })
      .replace('deploy:prod:\n', 'approve:prod:\n  when: manual\n  script: [echo approved]\ndeploy:prod:\n  needs: [approve:prod]\n');
    expect(findingsOf(productionManualGate, fixtureProject(envs(), { gitlab: chained }))).toEqual([]);
  });

  test('a GitHub job deploying production without an environment is reported', () => {
    const github = `
on: push
jobs:
  deploy-prod:
    runs-on: ubuntu-24.04
    steps:
      - run: kubectl apply -f dist/prod/kubernetes/ && kubectl rollout status deployment/web
      - if: failure()
        run: kubectl rollout undo deployment/web
`;
    expect(findingsOf(productionManualGate, fixtureProject(envs(), { github }))).toEqual([{ target: '.github/workflows/deploy.yml#deploy-prod', value: 'no environment' }]);
    expect(findingsOf(verifyFailsAndRollsBack, fixtureProject(envs(), { github }))).toEqual([]);
  });

  test('verification that cannot fail the job, or never rolls back, is reported', () => {
    const swallowed = fixtureProject(envs(), { gitlab: gitlab({ verify: 'kubectl rollout status deployment/web || true' }) });
    expect(findingsOf(verifyFailsAndRollsBack, swallowed)).toEqual(
      [
        ...['dev', 'prod', 'staging'].map((env) => ({ target: `.gitlab-ci.yml#deploy:${env}`, value: 'kubectl rollout status deployment/web || true' })),
        ...['dev', 'prod', 'staging'].map((env) => ({ target: `.gitlab-ci.yml#${env}`, value: 'no rollback' })),
      ],
    );
    const unverified = fixtureProject(envs(), { gitlab: gitlab({ verify: 'echo done' }) });
    expect(findingsOf(verifyFailsAndRollsBack, unverified)).toEqual(['dev', 'prod', 'staging'].map((env) => ({ target: `.gitlab-ci.yml#${env}`, value: 'no rollout status' })));
  });
});

describe('DK-CI-005 PrivateEndpointSelfHostedRunners', () => {
  const cluster = (name: string, isPublic: boolean) => resources({ aws_eks_cluster: { C: { name, vpc_config: [{ endpoint_private_access: true, endpoint_public_access: isPublic }] } } });
  /** dev has a public endpoint, prod a private one (whatever the example defines: the rule reads the Terraform). */
  const contexts = () => [fixtureContext({ env: 'dev', terraform: cluster('company-dev', true) }), fixtureContext({ env: 'prod', terraform: cluster('company-prod', false) })];

  function gitlabJobs(prodTags: string) {
    return `
default:
  image: tools:1
deploy:dev:
  script:
    - pipelines/scripts/deploy.sh --env dev --cluster company-dev --scope namespaces
deploy:prod:
${prodTags}  script:
    - pipelines/scripts/deploy.sh --env prod --cluster company-prod --scope namespaces
verify:prod:
  tags: [deploykit-prod]
  script:
    - pipelines/scripts/verify.sh --cluster company-prod --namespace company-web --deployment company-web
smoke:prod:
  environment: { name: prod }
  tags: [deploykit-prod]
  script:
    - ./pipelines/scripts/smoke-test.sh --namespace company-web --service company-web
plan:prod:
  script:
    - pipelines/scripts/terraform-plan.sh --env prod
`;
  }

  function githubJobs(runsOn: string) {
    return `
on: push
jobs:
  deploy-dev:
    runs-on: ubuntu-24.04
    steps:
      - run: pipelines/scripts/deploy.sh --env dev --cluster company-dev --scope namespaces
  deploy-prod:
    runs-on: ${runsOn}
    steps:
      - run: pipelines/scripts/deploy.sh --env prod --cluster company-prod --scope namespaces
  verify-prod:
    runs-on: { group: deploykit, labels: [deploykit-prod] }
    steps:
      - run: pipelines/scripts/verify.sh --cluster company-prod --namespace company-web --deployment company-web
  plan-prod:
    runs-on: ubuntu-24.04
    steps:
      - run: pipelines/scripts/terraform-plan.sh --env prod
`;
  }

  test('passes when every job reaching the private endpoint selects runners (GitLab tags, GitHub self-hosted labels or a runner group)', () => {
    const project = fixtureProject(contexts(), { gitlab: gitlabJobs('  tags: [deploykit-prod]\n'), github: githubJobs('[self-hosted, deploykit-prod]') });
    expect(findingsOf(privateEndpointRunners, project)).toEqual([]);
  });

  test('counts the tags of GitLab default: for jobs without their own', () => {
    const project = fixtureProject(contexts(), { gitlab: gitlabJobs('').replace('default:\n  image: tools:1\n', 'default:\n  image: tools:1\n  tags: [deploykit-prod]\n') });
    expect(findingsOf(privateEndpointRunners, project)).toEqual([]);
  });

  test('fails on a GitLab deploy job without tags, with the exact finding', () => {
    const project = fixtureProject(contexts(), { gitlab: gitlabJobs('') });
    expect([...privateEndpointRunners.check(project)]).toEqual([
      {
        environment: 'prod',
        target: '.gitlab-ci.yml#deploy:prod',
        file: '.gitlab-ci.yml',
        value: 'no tags',
        message: "job deploy:prod calls the private API endpoint of company-prod from GitLab's shared runners (no tags), which cannot reach it",
      },
    ]);
  });

  test('fails on a GitHub job on ubuntu-24.04, with the exact finding', () => {
    const project = fixtureProject(contexts(), { github: githubJobs('ubuntu-24.04') });
    expect([...privateEndpointRunners.check(project)]).toEqual([
      {
        environment: 'prod',
        target: '.github/workflows/deploy.yml#deploy-prod',
        file: '.github/workflows/deploy.yml',
        value: 'runs-on: ubuntu-24.04',
        message: 'job deploy-prod calls the private API endpoint of company-prod from GitHub-hosted runners (runs-on: ubuntu-24.04), which cannot reach it',
      },
    ]);
    expect(findingsOf(privateEndpointRunners, fixtureProject(contexts(), { github: githubJobs('[macos-15, windows-2025]') }))).toEqual([
      { target: '.github/workflows/deploy.yml#deploy-prod', value: 'runs-on: macos-15, windows-2025' },
    ]);
  });

  test('checks no job when the endpoint is public', () => {
    const project = fixtureProject([fixtureContext({ env: 'prod', terraform: cluster('company-prod', true) })], { gitlab: gitlabJobs(''), github: githubJobs('ubuntu-24.04') });
    expect(findingsOf(privateEndpointRunners, project)).toEqual([]);
  });
});
