import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const VENDOR_SEAM_MESSAGE =
  "Import cdktf and the AWS provider bindings from infra/vendor/terraform.ts (the vendor seam), not from the vendor's packages; add a missing re-export there.";
const VENDOR_IMPORTS = {
  paths: [{ name: 'cdktf', message: VENDOR_SEAM_MESSAGE }],
  patterns: [{ group: ['cdktf/*', '@cdktf/*'], message: VENDOR_SEAM_MESSAGE }],
};
const VENDOR_REQUIRE = {
  selector: "CallExpression[callee.name='require'] > Literal.arguments[value=/^(cdktf|@cdktf\\u002F)/], ImportExpression > Literal.source[value=/^(cdktf|@cdktf\\u002F)/]",
  message: VENDOR_SEAM_MESSAGE,
};

// The library (every published entry point and what it loads) never reaches into the command line: cli/ is a
// thin shell over it (docs/adr/0010-synth-library.md). Move what a library module needs out of cli/ instead.
const LIBRARY_FILES = ['index.ts', 'config/**/*.ts', 'infra/**/*.ts', 'k8s/**/*.ts', 'pipelines/**/*.ts', 'policy/**/*.ts', 'synth/**/*.ts', 'testing/**/*.ts'];
const CLI_MESSAGE = 'Library modules must not import the command line (cli/); move what you need into the library (synth/, policy/, …) and import it from there.';
const CLI_IMPORT = { regex: '^(\\.\\./)+cli(/|$)|^\\./cli(/|$)', message: CLI_MESSAGE };
const CLI_REQUIRE = {
  selector: "CallExpression[callee.name='require'] > Literal.arguments[value=/^(\\.\\.\\u002F)+cli(\\u002F|$)|^\\.\\u002Fcli(\\u002F|$)/], ImportExpression > Literal.source[value=/^(\\.\\.\\u002F)+cli(\\u002F|$)|^\\.\\u002Fcli(\\u002F|$)/]",
  message: CLI_MESSAGE,
};

export default tseslint.config(
  { ignores: ['node_modules/', '.cache/', 'build/', 'lib/', 'dist/', 'cdktf.out/', 'cdk8s.out/', 'coverage/', 'docs/api/', '**/imports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: Object.fromEntries(
        ['require', 'module', 'process', 'console', '__dirname', 'structuredClone', 'performance', 'Buffer', 'URL', 'setTimeout', 'clearTimeout']
          .map((name) => [name, 'readonly']),
      ),
    },
    rules: {
      // cdktf and its provider bindings are reached only through the vendor seam (infra/vendor/terraform.ts),
      // so a switch to CDK Terrain (cdktn) changes one file: see docs/adr/0001-cdktf-isolation-and-cdk-terrain.md.
      'no-restricted-imports': ['error', VENDOR_IMPORTS],
      // The same ban for require() and import() of the vendor's modules.
      'no-restricted-syntax': ['error', VENDOR_REQUIRE],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-explicit-any': ['error', { ignoreRestArgs: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Rule options replace, not merge: the library's files repeat the vendor ban next to the cli/ ban.
    files: LIBRARY_FILES,
    rules: {
      'no-restricted-imports': ['error', { paths: VENDOR_IMPORTS.paths, patterns: [...VENDOR_IMPORTS.patterns, CLI_IMPORT] }],
      'no-restricted-syntax': ['error', VENDOR_REQUIRE, CLI_REQUIRE],
    },
  },
  {
    // The vendor seam itself, and the only file allowed to name the vendor's modules. It re-exports
    // provider resources by submodule: the package barrel loads all 2,135 of them (~2 s, ~0.5 GiB).
    files: ['infra/vendor/terraform.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@cdktf/provider-aws', '@cdktf/provider-aws/lib', '@cdktf/provider-aws/lib/index'].map((name) => ({
            name,
            message: "Re-export the resource's submodule, e.g. '@cdktf/provider-aws/lib/eks-cluster'.",
          })),
          patterns: [CLI_IMPORT],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'examples/**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
