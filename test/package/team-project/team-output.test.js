/**
 * The team's jest test of its synthesized output with deploykit's matchers, registered by
 * `setupFilesAfterEnv: ['deploykit/testing/jest']` (jest.config.json). Reads the output directory named by
 * TEAM_OUTPUT with deploykit/synth's readers.
 */
/* global describe, test, expect */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parseDocuments, readOutputFile, readOutputManifest } = require('deploykit/synth');

const out = process.env.TEAM_OUTPUT;
const manifest = readOutputManifest(out);
const objects = manifest.environments.dev.kubernetes.flatMap((file) => parseDocuments(readOutputFile(out, file)));
const terraform = JSON.parse(readFileSync(join(out, 'dev', 'terraform', 'cdk.tf.json'), 'utf8'));

describe('the storefront output of dev', () => {
  test('holds the status page Deployment, and every object validates strictly', () => {
    expect(objects).toContainKubernetesObject({ kind: 'Deployment', name: 'status-page' });
    for (const object of objects) expect(object).toBeValidKubernetesObject();
  });

  test('a misspelled field fails the strict validation, naming the field', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'status-page');
    const misspelled = { ...deployment, spec: { ...deployment.spec, replica: 2 } };
    expect(misspelled).not.toBeValidKubernetesObject();
    expect(() => expect(misspelled).toBeValidKubernetesObject()).toThrow(/spec\.replica/);
  });

  test('the build-cache repository is immutable and tagged with the team', () => {
    expect(terraform).toHaveTerraformResource('aws_ecr_repository', 'BuildCache', { name: 'storefront-dev-build-cache', image_tag_mutability: 'IMMUTABLE' });
    expect(terraform).not.toHaveTerraformResource('aws_ecr_repository', 'BuildCache', { image_tag_mutability: 'MUTABLE' });
  });
});
