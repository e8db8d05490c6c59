// <product>/checklist/<n>-stream-reaches-client: the product's streamed chat reaches the client whole.
import { item, productCalls } from './item.ts';
import { CHAT_CATCHES } from '../catches.ts';

export const streamReachesClient = item('stream-reaches-client', 'chat', (s, tools) => ({ probes: productCalls(s, tools, ['chat']) }), CHAT_CATCHES);
