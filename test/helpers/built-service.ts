/**
 * The service as `npm start` runs it: src/ compiled to dist/ (test/global-setup.ts builds it once
 * per test run). Started with node itself, not npm, so a signal reaches the service.
 */
export const SERVICE_ARGS = ['dist/main.js'];
