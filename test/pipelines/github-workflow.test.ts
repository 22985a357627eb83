import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ciDeployRoleArn, ciPlanRoleArn } from '../../config';
import { githubWorkflow } from '../../pipelines/github-workflow';
import { generatePipelines, GITHUB_WORKFLOW_FILE } from '../../pipelines/pipeline-files';
import { exampleDefs, tempDir } from '../support/synth';

const ACTION_VALIDATOR = join(__dirname, '../../node_modules/.bin/action-validator');

describe('GitHub workflow', () => {
  const defs = exampleDefs();
  const workflow = githubWorkflow(defs);
  const jobs = workflow.jobs;
  const file = generatePipelines(defs).find((f) => f.path === GITHUB_WORKFLOW_FILE)!.content;

  test('is valid according to action-validator', () => {
    const path = join(tempDir(), 'deploy.yml');
    writeFileSync(path, file);
    const result = spawnSync(ACTION_VALIDATOR, [path], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('action-validator rejects an unknown job key, so the check above has teeth', () => {
    const path = join(tempDir(), 'deploy.yml');
    writeFileSync(path, file.replace('  test:\n', '  test:\n    bogus-key: 1\n'));
    expect(spawnSync(ACTION_VALIDATOR, [path]).status).toBe(1);
  });

  test('grants least privilege: contents read at the top, id-token only to role-assuming jobs, pull-requests only to review', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [id, job] of Object.entries(jobs)) {
      const assumesRole = job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      const expected = { contents: 'read', ...(assumesRole ? { 'id-token': 'write' } : {}), ...(id === 'review' ? { 'pull-requests': 'write' } : {}) };
      expect([id, job.permissions]).toEqual([id, expected]);
    }
  });

  test('pins every action to a full commit SHA with its version as a comment', () => {
    const usesLines = file.split('\n').filter((line) => line.includes('uses: '));
    expect(usesLines.length).toBeGreaterThan(0);
    for (const line of usesLines) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
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
    expect(secretUses).toEqual(Array(9).fill('          DEPLOYKIT_CHAT_WEBHOOK: ${{ secrets.DEPLOYKIT_CHAT_WEBHOOK }}'));
  });

  test('prod deploys only from a vX.Y.Z tag, after the apply gated by the protected prod environment', () => {
    expect(workflow.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    for (const step of ['push', 'plan', 'apply', 'deploy', 'verify']) {
      expect(jobs[`${step}-prod`].if).toBe("github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')");
    }
    expect(jobs['apply-prod'].environment).toEqual({ name: 'prod' });
    expect(jobs['deploy-prod'].needs).toEqual(['apply-prod']);
    expect(jobs['verify-prod'].needs).toEqual(['deploy-prod']);
  });

  test('main deploys dev then staging: staging waits for dev verify', () => {
    expect(jobs['push-dev'].if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(jobs['push-staging'].needs).toEqual(['test', 'build-company-web', 'build-company-api', 'verify-dev']);
  });

  test('one deploy per environment at a time, never cancelling one in flight', () => {
    for (const env of ['dev', 'staging', 'prod']) {
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
    for (const env of ['dev', 'staging', 'prod']) expect(jobs[`review-plan-${env}`].if).toBe("github.event_name == 'pull_request'");
    for (const [id, job] of Object.entries(jobs).filter(([id]) => /^(push|plan|apply|deploy|verify)-/.test(id))) {
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

  test('deploy jobs keep the deploy role, and no job but the review plans uses the plan role', () => {
    for (const [id, job] of Object.entries(jobs)) {
      expect([id, /role\/deploykit-[a-z0-9-]+-plan\b/.test(JSON.stringify(job))]).toEqual([id, id.startsWith('review-plan-')]);
    }
    for (const env of defs.environments) {
      for (const step of ['push', 'plan', 'apply', 'deploy', 'verify']) {
        const assume = jobs[`${step}-${env.name}`].steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
        expect(assume?.with?.['role-to-assume']).toBe(ciDeployRoleArn(defs.system, env));
      }
    }
  });

  test('the generated file parses back to the workflow object', () => {
    expect(parse(file)).toEqual(JSON.parse(JSON.stringify(workflow)));
  });
});
