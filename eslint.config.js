// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * typescript-eslint's recommended rules, kept modest: what the compiler already checks
 * (unused names, with noUnusedLocals/noUnusedParameters) is left to the compiler.
 */
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        __dirname: 'readonly',
        structuredClone: 'readonly',
        AbortController: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      // The compiler reports unused names (noUnusedLocals, noUnusedParameters) and allows `_name`.
      '@typescript-eslint/no-unused-vars': 'off',
      // Matching control characters is deliberate here: they are what input sanitising looks for.
      'no-control-regex': 'off',
    },
  },
);
