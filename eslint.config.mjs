import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
      // The provider barrel loads all 2,135 submodules (~2 s, ~0.5 GiB): import lib/<resource> instead.
      'no-restricted-imports': [
        'error',
        {
          paths: ['@cdktf/provider-aws', '@cdktf/provider-aws/lib', '@cdktf/provider-aws/lib/index'].map((name) => ({
            name,
            message: "Import the resource's submodule, e.g. '@cdktf/provider-aws/lib/eks-cluster'.",
          })),
        },
      ],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-explicit-any': ['error', { ignoreRestArgs: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts', 'examples/**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
