// What a conformance test attaches to its vitest task: task.meta.gt (serialised into blob reports, so shards keep it).
import type { CheckMeta } from '../model.ts';

declare module '@vitest/runner' {
  interface TaskMeta {
    gt?: CheckMeta;
  }
}

export type { CheckMeta };
