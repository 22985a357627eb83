import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApplyPermissions } from '../../synth/extensions';
import { companyApplyPermissions } from '../../examples/worker-service/apply-permissions';
import { tempDir } from '../support/synth';

/** A definitions module (CommonJS) exporting `applyPermissions` with the given JSON value. */
function moduleWith(applyPermissions: unknown): string {
  const file = join(tempDir(), 'team.config.js');
  writeFileSync(file, `module.exports = { default: {}, applyPermissions: ${JSON.stringify(applyPermissions)} };\n`);
  return file;
}

describe('loadApplyPermissions', () => {
  test("reads a definitions module's applyPermissions export", () => {
    expect(loadApplyPermissions(join(__dirname, '..', '..', 'examples', 'worker-service', 'deploykit.config.ts'))).toEqual(companyApplyPermissions);
    expect(loadApplyPermissions(moduleWith({ aws_lambda_function: ['lambda:CreateFunction'] }))).toEqual({ aws_lambda_function: ['lambda:CreateFunction'] });
  });

  test('is empty without a definitions module or without the export', () => {
    expect(loadApplyPermissions()).toEqual({});
    const file = join(tempDir(), 'plain.config.js');
    writeFileSync(file, 'module.exports = { default: {} };\n');
    expect(loadApplyPermissions(file)).toEqual({});
  });

  test('refuses an export that is not an object, naming the shape', () => {
    const file = moduleWith(['sqs:CreateQueue']);
    expect(() => loadApplyPermissions(file)).toThrow(
      `cannot load definitions from ${file}: the 'applyPermissions' export (array) must be an object of Terraform resource types to IAM actions, e.g. { aws_sqs_queue: ['sqs:CreateQueue'] }`,
    );
  });

  test('refuses a type whose actions are not IAM actions, naming the type and the value', () => {
    const file = moduleWith({ aws_sqs_queue: ['sqs:CreateQueue', 'create queue'] });
    expect(() => loadApplyPermissions(file)).toThrow(
      `cannot load definitions from ${file}: applyPermissions.aws_sqs_queue: "create queue" is not an IAM action; use "service:Action" without wildcards, e.g. "sqs:CreateQueue"`,
    );
    const empty = moduleWith({ aws_sqs_queue: [] });
    expect(() => loadApplyPermissions(empty)).toThrow('applyPermissions.aws_sqs_queue: [] is not a list of IAM actions');
  });

  test('refuses a key that is not a Terraform resource type', () => {
    const file = moduleWith({ 'SQS Queue': ['sqs:CreateQueue'] });
    expect(() => loadApplyPermissions(file)).toThrow(`applyPermissions: "SQS Queue" is not a Terraform resource type; use the type name, e.g. "aws_sqs_queue"`);
  });
});
