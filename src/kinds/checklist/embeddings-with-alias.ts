// <product>/checklist/<n>-embeddings-with-alias: the product's embeddings call succeeds with a published alias.
import { item, productCalls } from './item.ts';
import { EMBEDDING_CATCHES } from '../catches.ts';

export const embeddingsWithAlias = item('embeddings-with-alias', 'embeddings', (s, tools) => ({ probes: productCalls(s, tools, ['embeddings']) }), EMBEDDING_CATCHES);
