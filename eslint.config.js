// Type-aware lint for the whole tree. The regexp plugin rejects regexes that can backtrack
// super-linearly: Parapet scans attacker-controlled text, so a slow regex is a denial of service.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';

export default defineConfig(
  { ignores: ['node_modules/**', '.parapet/**', 'web/dist/**'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  regexp.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['bin/*.js', 'eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // TypeScript already checks undefined names (and knows Node's globals); see typescript-eslint's FAQ.
      'no-undef': 'off',
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // core/ holds the contracts and must not depend on the rest of Parapet or on heavy libraries.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['../*', 'fastify', 'undici', 'pg', 'ioredis', '@kubernetes/*', 'pino'] },
      ],
    },
  },
  {
    // The data plane never talks to Kubernetes; the controller writes the same config a file would.
    files: ['src/gateway/**/*.ts', 'src/providers/**/*.ts', 'src/scanners/**/*.ts', 'src/policy/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@kubernetes/*', '**/k8s/*'] }] },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
