// The last step of `npm run build`, once tsc has compiled dist/: the shipped inputs parsed to JSON
// (src/input/build-cache.ts), the SDK bundles (scripts/bundle-sdks.js), then the stamp that says dist/ is complete.
import { writeContractCache } from '../dist/src/contract/load.js';
import { writeProfilesCache } from '../dist/src/clients/load.js';
import { fileURLToPath } from 'node:url';
import { markBuilt } from '../bin/dist-state.js';
import { bundleSdks } from './bundle-sdks.js';

writeContractCache();
writeProfilesCache();
await bundleSdks();
markBuilt(fileURLToPath(new URL('..', import.meta.url)));
