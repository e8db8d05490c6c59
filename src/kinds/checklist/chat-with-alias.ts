// <product>/checklist/<n>-chat-with-alias: the product lists models and completes a chat with a published alias, as it calls them.
import { item, productCalls } from './item.ts';
import { CHAT_CATCHES } from '../catches.ts';

export const chatWithAlias = item('chat-with-alias', 'chat', (s, tools) => ({ probes: productCalls(s, tools, ['models', 'chat']) }), [{ defect: 'models-leak' }, ...CHAT_CATCHES]);
