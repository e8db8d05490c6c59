// The embedded tenant in a process of its own, for bench/run-scale.mjs: a deployed tenant does its work on
// another machine, so the harness's figures must not include the tenant's CPU.
//   started with an IPC channel by bench/run-scale.mjs; LATENCY_MS PROCESSING_MS as arguments
// Sends { target, secrets } once it listens, and closes when its parent says so or goes away.
import { startTenant } from '../dist/src/tenant/index.js';
import { contractValidator } from '../dist/src/checks/contract-validator.js';
import { loadContract } from '../dist/src/contract/load.js';

const [latencyMs, processingMs] = process.argv.slice(2, 4).map(Number);
const tenant = await startTenant({ freshSecrets: true, latencyMs, processingMs });
// A deployed tenant has long been up: its request validators are compiled before the run, not on its first requests.
contractValidator().compileFor(loadContract().routes.map((r) => r.operation_id));
const close = () => tenant.close().finally(() => process.exit(0));
process.on('message', (m) => m === 'close' && close());
process.on('disconnect', close);
process.send({ target: tenant.target, secrets: tenant.secrets });
