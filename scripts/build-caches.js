// The last step of `npm run build`, once tsc has compiled dist/: the shipped inputs parsed to JSON
// (src/input/build-cache.ts; the runbooks checked too: src/runbook/checked-cache.ts; the embedded tenant's
// default seed), the shipped schemas' validators as code (src/input/schema-files.ts) and the contract's
// (src/checks/contract-ajv.ts), the SDK bundles (scripts/bundle-sdks.js), then the stamp
// that says dist/ is complete.
import { loadContract, writeContractCache } from '../dist/src/contract/load.js';
import { writeRunbooksCache } from '../dist/src/runbook/load.js';
import { writeProfilesCache } from '../dist/src/clients/load.js';
import { runbookValidator } from '../dist/src/runbook/schema.js';
import { targetValidator } from '../dist/src/targets/live.js';
import { reportValidator } from '../dist/src/report/validate.js';
import { writeStandaloneValidators } from '../dist/src/input/schema-files.js';
import { writeBuiltValidators } from '../dist/src/checks/contract-ajv.js';
import { writeDefaultSeedCache } from '../dist/src/tenant/seed.js';
import { fileURLToPath } from 'node:url';
import { markBuilt } from '../bin/dist-state.js';
import { bundleSdks } from './bundle-sdks.js';

writeContractCache();
writeRunbooksCache(loadContract()); // after the contract's cache: checked under the contract a run loads
writeProfilesCache(); // compiles the client profile schema
writeDefaultSeedCache();
runbookValidator();
targetValidator();
reportValidator();
writeStandaloneValidators();
writeBuiltValidators(loadContract()); // into the same folder, after writeStandaloneValidators has emptied it
try {
  await bundleSdks();
} catch (err) {
  // The bundles only save start-up time: without them the harness imports the installed packages.
  console.warn(`gt-conformance build: no SDK bundles (${String(err?.message ?? err).split('\n')[0]}); the SDKs load from their packages`);
}
markBuilt(fileURLToPath(new URL('..', import.meta.url)));
