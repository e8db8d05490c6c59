import { runDirect } from './src/run/direct.ts';
import { productFiles } from './test/fixtures/products.ts';
for (let i = 0; i < 6; i++) {
  const t0 = Date.now();
  await runDirect({ processingMs: 150, defects: ['models-leak'] }, { pollDeadlineMs: 3000, runbookFiles: productFiles() });
  console.log('run', i, Date.now() - t0);
}
