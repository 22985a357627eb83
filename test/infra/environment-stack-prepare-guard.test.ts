/**
 * Guards of EnvironmentStack.prepareStack's use of cdktf internals (docs/adr/0009-vendor-internals.md):
 * the override calls the private `ensureBackendExists` and skips cdktf's preparation pass for a stack
 * alone in its app. When a cdktf upgrade changes either, these fail with what changed.
 */
import { App, TerraformStack } from '../../infra/vendor/terraform';
import { stackName } from '../../config';
import { EnvironmentStack } from '../../infra';
import { exampleDefs, tempDir } from '../support/synth';

const defs = exampleDefs();

/** The stack's Terraform JSON, synthesized alone in its app, with or without the skip. */
function synthAlone(env: (typeof defs.environments)[number], skip: boolean): string {
  const before = process.env.DEPLOYKIT_BENCH_NO_PREPARE_SKIP;
  if (skip) delete process.env.DEPLOYKIT_BENCH_NO_PREPARE_SKIP;
  else process.env.DEPLOYKIT_BENCH_NO_PREPARE_SKIP = '1';
  try {
    const app = new App({ stackTraces: false, outdir: tempDir() });
    const stack = new EnvironmentStack(app, stackName(defs.system, env), { definitions: defs, environment: env });
    stack.prepareStack();
    return JSON.stringify(stack.toTerraform(), null, 2);
  } finally {
    if (before === undefined) delete process.env.DEPLOYKIT_BENCH_NO_PREPARE_SKIP;
    else process.env.DEPLOYKIT_BENCH_NO_PREPARE_SKIP = before;
  }
}

describe('cdktf internals EnvironmentStack.prepareStack relies on', () => {
  test('TerraformStack has a private ensureBackendExists() returning the stack backend', () => {
    const ensure = (TerraformStack.prototype as unknown as Record<string, unknown>).ensureBackendExists;
    if (typeof ensure !== 'function') {
      throw new Error("cdktf's TerraformStack no longer has ensureBackendExists(); EnvironmentStack.prepareStack calls it — adapt or remove the override (docs/adr/0009-vendor-internals.md)");
    }
    expect(ensure.length).toBe(0);
    const stack = new TerraformStack(new App({ stackTraces: false }), 'probe');
    const backend = (stack as unknown as { ensureBackendExists(): unknown }).ensureBackendExists();
    expect(backend).toBeDefined();
    expect(Object.keys(stack.toTerraform().terraform.backend)).toEqual(['local']);
  });

  test("cdktf's own prepareStack is still only the backend and the resolve pass the override skips", () => {
    const source = TerraformStack.prototype.prepareStack.toString();
    const body = source.replace(/\/\/.*$/gm, '').replace(/\s+/g, '');
    const expected = 'prepareStack(){this.ensureBackendExists();terraformElements(this).forEach((e)=>(0,_tokens_1.resolve)(this,e.toTerraform(),true));}';
    if (body !== expected) {
      throw new Error(`cdktf's TerraformStack.prepareStack changed; EnvironmentStack.prepareStack skips it for a stack alone in its app and may now miss a step (docs/adr/0009-vendor-internals.md):\n${source}`);
    }
  });

  test.each(defs.environments.map((e) => [e.name, e] as const))('%s: the stack alone in its app synthesizes byte for byte the same with and without the skip', (_name, env) => {
    expect(synthAlone(env, true)).toBe(synthAlone(env, false));
  });
});
