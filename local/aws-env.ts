/** Re-export: the client overrides live next to the app's client factory (src/adapters). */
export { localClientOverrides, LOCAL_ENDPOINT_VARS, type LocalService } from '../src/adapters/local-overrides';
