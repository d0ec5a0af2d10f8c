// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '*.mjs', '*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    // The domain core is pure: no framework, no I/O, no process environment.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // Exact module names (not patterns), so src/domain/net is not mistaken for node:net.
          paths: [
            'fs',
            'node:fs',
            'fs/promises',
            'node:fs/promises',
            'child_process',
            'node:child_process',
            'net',
            'node:net',
            'dgram',
            'node:dgram',
            'http',
            'node:http',
            'https',
            'node:https',
          ].map((name) => ({ name, message: 'src/domain does no I/O.' })),
          patterns: [
            {
              group: [
                '@nestjs/*',
                'typeorm',
                'class-validator',
                'class-transformer',
                'graphql',
                'mercurius',
                'fastify',
                'pg',
                'better-sqlite3',
                'pino',
                'prom-client',
              ],
              message: 'src/domain must stay framework-free (see docs/architecture.md).',
            },
            {
              group: ['**/modules/**', '**/common/**', '**/config/**'],
              message: 'src/domain imports only src/domain.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Pass configuration in as arguments.' }],
    },
  },
);
