// The handler of every route id of fixtures/contract/routes.yaml.
import type { RouteHandler } from '../context.ts';
import { createSpeech, createTranscription } from './audio.ts';
import { chatCompletions } from './chat.ts';
import { createConversation } from './conversations.ts';
import { createEmbeddings } from './embeddings.ts';
import { getFileStatus, uploadConversationFile, uploadDatasetFile } from './files.ts';
import { createImage } from './images.ts';
import { listModels } from './models.ts';

export const routeHandlers: Readonly<Record<string, RouteHandler>> = {
  models: listModels,
  chat: chatCompletions,
  embeddings: createEmbeddings,
  transcriptions: createTranscription,
  speech: createSpeech,
  images: createImage,
  conversations: createConversation,
  'dataset-files': uploadDatasetFile,
  'conversation-files': uploadConversationFile,
  'file-status': getFileStatus,
};
