import { parse } from 'yaml';
import { ciApplyRoleArn, ciDeployRoleArn, ciPlanRoleArn, deploymentTargets, promotionSource, promotionTargets } from '../../config';
import { ACTION_PINS } from '../../pipelines/action-pins';
import { githubWorkflow } from '../../pipelines/github-workflow';
import { generatePipelines, GITHUB_WORKFLOW_FILE } from '../../pipelines/pipeline-files';
import { exampleDefs } from '../support/synth';
import { validateGithubWorkflow } from './pipeline-validators';

describe('GitHub workflow', () => {
  const defs = exampleDefs();
  const workflow = githubWorkflow(defs);
  const jobs = workflow.jobs;
  const file = generatePipelines(defs).find((f) => f.path === GITHUB_WORKFLOW_FILE)!.content;

  test('is valid according to action-validator', () => {
    expect(validateGithubWorkflow(file)).toEqual({ status: 0, output: '' });
  });

  test('action-validator rejects an unknown job key, so the check above has teeth', () => {
    expect(validateGithubWorkflow(file.replace('  test:\n', '  test:\n    bogus-key: 1\n')).status).toBe(1);
  });

  test('grants least privilege: contents read at the top, id-token only to role-assuming jobs, pull-requests only to review', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [id, job] of Object.entries(jobs)) {
      const assumesRole = job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      const expected = {
        ...(id === 'check' ? { actions: 'read' } : {}),
        contents: 'read',
        ...(assumesRole ? { 'id-token': 'write' } : {}),
        ...(id === 'review' ? { 'pull-requests': 'write' } : {}),
        ...(id === 'check' ? { 'security-events': 'write' } : {}),
      };
      expect([id, job.permissions]).toEqual([id, expected]);
    }
  });

  test('pins every action to a full commit SHA with its version as a comment', () => {
    const usesLines = file.split('\n').filter((line) => line.includes('uses: '));
    expect(usesLines.length).toBeGreaterThan(0);
    for (const line of usesLines) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+(\/[\w.-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test('interpolates no expression into run: and passes untrusted values through env', () => {
    for (const job of Object.values(jobs)) {
      for (const step of job.steps) if (step.run) expect(step.run).not.toContain('${{');
    }
    expect(jobs.review.steps.find((s) => s.name === 'post the diff')?.env).toMatchObject({
      REVIEW_BASE_SHA: '${{ github.event.pull_request.base.sha }}',
      PR_NUMBER: '${{ github.event.pull_request.number }}',
    });
  });

  test('echoes no secret: secrets reach only env of the notify steps', () => {
    const runs = Object.values(jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));
    for (const run of runs) expect(run).not.toMatch(/echo .*(SECRET|TOKEN|WEBHOOK)/i);
    expect(file).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
    const secretUses = file.split('\n').filter((line) => line.includes('secrets.'));
    const notifySteps = Object.values(jobs).flatMap((j) => j.steps.filter((s) => s.name.startsWith('notify ')));
    expect(notifySteps.length).toBe(deploymentTargets(defs).length * 3);
    expect(secretUses).toEqual(Array(notifySteps.length).fill('          DEPLOYKIT_CHAT_WEBHOOK: ${{ secrets.DEPLOYKIT_CHAT_WEBHOOK }}'));
  });

  test('release-tag environments deploy only from a pushed vX.Y.Z tag; only their apply declares the approval environment', () => {
    expect(workflow.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    for (const target of deploymentTargets(defs)) {
      const env = target.environment.name;
      const when =
        target.trigger === 'release-tag'
          ? "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')"
          : `github.event_name == 'push' && github.ref == 'refs/heads/${defs.ci.defaultBranch}'`;
      const image = promotionSource(defs, target.environment) ? 'promote' : 'push';
      for (const step of [image, 'plan', 'apply', 'deploy', 'verify']) expect(jobs[`${step}-${env}`].if).toBe(when);
      for (const step of [image, 'plan', 'deploy', 'verify']) expect(jobs[`${step}-${env}`].environment).toBeUndefined();
      expect(jobs[`apply-${env}`].environment).toEqual(target.manualApproval ? { name: env } : undefined);
      expect(jobs[`deploy-${env}`].needs).toEqual([`apply-${env}`]);
      expect(jobs[`verify-${env}`].needs).toEqual([`deploy-${env}`]);
    }
    for (const name of deploymentTargets(defs).filter((t) => t.manualApproval).map((t) => t.environment.name)) {
      expect(file).toContain(`# Settings > Environments > "${name}": add required reviewers`);
    }
  });

  test('default-branch environments deploy in order: each waits for the verify of the one before', () => {
    for (const target of deploymentTargets(defs).filter((t) => t.trigger === 'default-branch' && t.after)) {
      expect(jobs[`push-${target.environment.name}`].needs).toContain(`verify-${target.after!.name}`);
    }
  });

  test('every job runs as the identity its step needs', () => {
    const roles = (id: string) => jobs[id].steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@')).map((s) => s.with?.['role-to-assume']);
    for (const target of deploymentTargets(defs)) {
      const env = target.environment;
      const [plan, apply, deploy] = [ciPlanRoleArn, ciApplyRoleArn, ciDeployRoleArn].map((arn) => arn(defs.system, env));
      expect(roles(`${promotionSource(defs, env) ? 'promote' : 'push'}-${env.name}`)).toEqual([deploy]);
      expect(roles(`plan-${env.name}`)).toEqual([apply]);
      expect(roles(`apply-${env.name}`)).toEqual([apply]);
      expect(roles(`deploy-${env.name}`)).toEqual([apply, deploy]);
      const names = jobs[`deploy-${env.name}`].steps.map((s) => s.name);
      expect(names.indexOf(`deploy the cluster-scoped objects of ${env.name}`)).toBeLessThan(names.indexOf(`assume the ${env.name} deploy role (OIDC)`));
      expect(jobs[`deploy-${env.name}`].steps.find((s) => s.name === `deploy the namespaces of ${env.name}`)?.run).toContain(`--role-arn ${deploy} --scope namespaces`);
      expect(roles(`verify-${env.name}`)).toEqual([deploy]);
      expect(roles(`review-plan-${env.name}`)).toEqual([plan]);
      expect(roles(`drift-${env.name}`)).toEqual([plan]);
    }
  });

  test("the jobs that talk to the Kubernetes API, and only those, run on the environment's runners", () => {
    for (const [id, job] of Object.entries(jobs)) {
      const env = defs.environments.find((e) => id === `deploy-${e.name}` || id === `verify-${e.name}`);
      expect([id, job['runs-on']]).toEqual([id, env?.deploy.runner?.githubLabels ?? 'ubuntu-24.04']);
    }
  });

  test('deploykit check gates every deploy and uploads its SARIF to code scanning even when it fails', () => {
    const check = jobs.check;
    expect(check.if).toBe("github.event_name != 'schedule'");
    const upload = check.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload).toEqual({
      name: 'upload the findings to code scanning',
      if: 'success() || failure()',
      uses: `github/codeql-action/upload-sarif@${ACTION_PINS.uploadSarif.sha}`,
      with: { sarif_file: 'deploykit-check.sarif', category: 'deploykit-check' },
    });
    expect(check.steps.find((s) => s.name === 'deploykit check')?.run).toBe('node bin/deploykit.js check --dir dist --format sarif > deploykit-check.sarif');
    for (const target of deploymentTargets(defs)) {
      const env = target.environment;
      expect(jobs[`${promotionSource(defs, env) ? 'promote' : 'push'}-${env.name}`].needs).toEqual(expect.arrayContaining(['test', 'check']));
    }
  });

  test('promotion: release-tag environments with a source promote its verified digests; the source marks them after verify', () => {
    for (const env of defs.environments) {
      const source = promotionSource(defs, env);
      if (source) {
        expect(jobs[`push-${env.name}`]).toBeUndefined();
        const promote = jobs[`promote-${env.name}`];
        expect(promote.steps.find((s) => s.name === `promote to ${env.name}`)?.run?.split('\n')).toEqual(
          env.services.map((s) => expect.stringContaining(`promote-image.sh --service ${s.name} --tag "$IMAGE_TAG"`)),
        );
        expect(promote.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))?.with).toMatchObject({ name: `image-digests-${env.name}`, path: `image-digests/${env.name}.json` });
        expect(jobs[`plan-${env.name}`].needs).toEqual([`promote-${env.name}`]);
        expect(jobs[`plan-${env.name}`].steps.find((s) => s.name === 'fetch the promoted digests')?.with).toEqual({ name: `image-digests-${env.name}`, path: 'image-digests' });
        expect(jobs[`plan-${env.name}`].steps.find((s) => s.name === `plan ${env.name}`)?.run).toContain(`--image-digests image-digests/${env.name}.json`);
      }
      const mark = jobs[`verify-${env.name}`]?.steps.find((s) => s.name === `mark the images verified in ${env.name}`);
      expect([env.name, mark?.run?.split('\n').length]).toEqual([env.name, promotionTargets(defs, env).length > 0 ? env.services.length : undefined]);
    }
  });

  test('a schedule runs only the drift jobs, one per environment, under the plan role', () => {
    expect(workflow.on.schedule).toEqual([{ cron: '0 5 * * 1-5' }]);
    for (const [id, job] of Object.entries(jobs)) {
      const drift = defs.environments.some((e) => id === `drift-${e.name}`);
      expect([id, job.if === "github.event_name == 'schedule'"]).toEqual([id, drift]);
      if (!drift) expect([id, job.if]).toEqual([id, expect.stringMatching(/^github\.event_name (!= 'schedule'|== 'pull_request'|== 'push')/)]);
    }
    for (const env of defs.environments) {
      expect(jobs[`drift-${env.name}`].steps.at(-1)?.run).toBe(
        `pipelines/scripts/terraform-drift.sh --env ${env.name} --region ${env.region} --role-arn ${ciPlanRoleArn(defs.system, env)} --image-tag "$IMAGE_TAG"`,
      );
    }
  });

  test('one deploy per environment at a time, never cancelling one in flight', () => {
    for (const env of defs.environments.map((e) => e.name)) {
      for (const step of ['apply', 'deploy', 'verify']) {
        expect(jobs[`${step}-${env}`].concurrency).toEqual({ group: `deploy-${env}`, 'cancel-in-progress': false });
      }
    }
  });

  test('the image tag is the commit SHA everywhere and never latest', () => {
    expect(workflow.env.IMAGE_TAG).toBe('${{ github.sha }}');
    const runs = Object.values(jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ?? '').split('\n')));
    for (const line of runs.filter((l) => /--(image-)?tag /.test(l))) expect(line).toMatch(/--(image-)?tag "\$IMAGE_TAG"/);
    expect(file).not.toMatch(/:latest\b|--tag latest/);
  });

  test('pull requests review and plan but never push, apply or deploy', () => {
    expect(jobs.review.if).toBe("github.event_name == 'pull_request'");
    for (const env of defs.environments) expect(jobs[`review-plan-${env.name}`].if).toBe("github.event_name == 'pull_request'");
    for (const [id, job] of Object.entries(jobs).filter(([id]) => /^(push|promote|plan|apply|deploy|verify)-/.test(id))) {
      expect([id, job.if]).toEqual([id, expect.stringMatching(/^github\.event_name == 'push' && /)]);
    }
  });

  test('review plans assume the read-only plan role and plan without the state lock', () => {
    for (const env of defs.environments) {
      const job = jobs[`review-plan-${env.name}`];
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      expect(job.environment).toBeUndefined();
      const assume = job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect(assume).toMatchObject({
        name: `assume the ${env.name} plan role (OIDC)`,
        with: { 'role-to-assume': ciPlanRoleArn(defs.system, env), 'aws-region': env.region },
      });
      expect(job.steps.find((s) => s.name === `plan ${env.name} for review`)?.run).toBe(
        `pipelines/scripts/terraform-plan.sh --env ${env.name} --image-tag "$IMAGE_TAG" --region ${env.region} --role-arn ${ciPlanRoleArn(defs.system, env)} --review`,
      );
      expect(JSON.stringify(job)).not.toContain(ciDeployRoleArn(defs.system, env));
      expect(job.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(false);
    }
  });

  test('the generated file parses back to the workflow object', () => {
    expect(parse(file)).toEqual(JSON.parse(JSON.stringify(workflow)));
  });
});
