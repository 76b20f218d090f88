import { serviceNodeArgs } from '../../scripts/service-command.ts';

/**
 * The service as `npm start` runs it: src/ compiled to dist/ (test/global-setup.ts builds it once
 * per test run), with the start script's node flags. Started with node itself, not npm, so a
 * signal reaches the service.
 */
export const SERVICE_ARGS = serviceNodeArgs();
