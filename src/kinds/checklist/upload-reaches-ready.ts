// <product>/checklist/<n>-upload-reaches-ready: an upload polled on both status paths reaches ready.
import { item, productCalls } from './item.ts';
import { READY_CATCHES } from '../catches.ts';

export const uploadReachesReady = item(
  'upload-reaches-ready',
  'file-status',
  (s, tools) => ({ probes: tools.routesThat('reads', 'file').flatMap((route) => productCalls(s, tools, [route.id])) }),
  READY_CATCHES,
);
