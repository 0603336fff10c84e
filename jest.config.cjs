/** Jest with @swc/jest: fast TS transform; type-checking is `tsc --noEmit`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  // Middy v6 and a few others ship ESM only.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|aws-local-stepfunctions|jose)/)'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 120000,
};
