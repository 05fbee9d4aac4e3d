import { cancelBatch, createBatch, listBatches, retrieveBatch } from '../routes/batches/batch-routes.ts';
import { chatCompletions } from '../routes/chat/chat-completions.ts';
import {
  deleteChatCompletion,
  listChatCompletionMessages,
  listChatCompletions,
  retrieveChatCompletion,
  updateChatCompletion,
} from '../routes/chat/stored-completions.ts';
import { createEmbeddings } from '../routes/embeddings/create-embeddings.ts';
import { createFile, deleteFile, fileContent, listFiles, retrieveFile } from '../routes/files/file-routes.ts';
import { listModels, retrieveModel } from '../routes/models/model-routes.ts';
import { createModeration } from '../routes/moderations/create-moderation.ts';
import {
  cancelResponse,
  createResponse,
  deleteResponse,
  listInputItems,
  retrieveResponse,
} from '../routes/responses/responses-routes.ts';
import type { RouteDefinition } from './route-types.ts';

/** Every endpoint the simulator serves, relative to the base path (`/v1`). */
const routeTable: readonly RouteDefinition[] = [
  {
    method: 'POST',
    pattern: '/chat/completions',
    operation: 'chat.completions',
    family: 'chat.completions',
    handle: chatCompletions,
  },
  {
    method: 'GET',
    pattern: '/chat/completions',
    operation: 'chat.completions.list',
    family: 'chat.completions.stored',
    handle: listChatCompletions,
  },
  {
    method: 'GET',
    pattern: '/chat/completions/{id}',
    operation: 'chat.completions.retrieve',
    family: 'chat.completions.stored',
    handle: retrieveChatCompletion,
  },
  {
    method: 'POST',
    pattern: '/chat/completions/{id}',
    operation: 'chat.completions.update',
    family: 'chat.completions.stored',
    handle: updateChatCompletion,
  },
  {
    method: 'DELETE',
    pattern: '/chat/completions/{id}',
    operation: 'chat.completions.delete',
    family: 'chat.completions.stored',
    handle: deleteChatCompletion,
  },
  {
    method: 'GET',
    pattern: '/chat/completions/{id}/messages',
    operation: 'chat.completions.messages',
    family: 'chat.completions.stored',
    handle: listChatCompletionMessages,
  },
  { method: 'POST', pattern: '/responses', operation: 'responses.create', family: 'responses', handle: createResponse },
  {
    method: 'GET',
    pattern: '/responses/{id}',
    operation: 'responses.retrieve',
    family: 'responses',
    handle: retrieveResponse,
  },
  {
    method: 'DELETE',
    pattern: '/responses/{id}',
    operation: 'responses.delete',
    family: 'responses',
    handle: deleteResponse,
  },
  {
    method: 'POST',
    pattern: '/responses/{id}/cancel',
    operation: 'responses.cancel',
    family: 'responses',
    handle: cancelResponse,
  },
  {
    method: 'GET',
    pattern: '/responses/{id}/input_items',
    operation: 'responses.input_items',
    family: 'responses',
    handle: listInputItems,
  },
  { method: 'POST', pattern: '/embeddings', operation: 'embeddings', family: 'embeddings', handle: createEmbeddings },
  { method: 'GET', pattern: '/models', operation: 'models.list', family: 'models', handle: listModels },
  { method: 'GET', pattern: '/models/{id}', operation: 'models.retrieve', family: 'models', handle: retrieveModel },
  {
    method: 'POST',
    pattern: '/files',
    operation: 'files.create',
    family: 'files',
    handle: createFile,
    multipart: true,
  },
  { method: 'GET', pattern: '/files', operation: 'files.list', family: 'files', handle: listFiles },
  { method: 'GET', pattern: '/files/{id}', operation: 'files.retrieve', family: 'files', handle: retrieveFile },
  { method: 'GET', pattern: '/files/{id}/content', operation: 'files.content', family: 'files', handle: fileContent },
  { method: 'DELETE', pattern: '/files/{id}', operation: 'files.delete', family: 'files', handle: deleteFile },
  { method: 'POST', pattern: '/batches', operation: 'batches.create', family: 'batches', handle: createBatch },
  { method: 'GET', pattern: '/batches', operation: 'batches.list', family: 'batches', handle: listBatches },
  { method: 'GET', pattern: '/batches/{id}', operation: 'batches.retrieve', family: 'batches', handle: retrieveBatch },
  {
    method: 'POST',
    pattern: '/batches/{id}/cancel',
    operation: 'batches.cancel',
    family: 'batches',
    handle: cancelBatch,
  },
  {
    method: 'POST',
    pattern: '/moderations',
    operation: 'moderations',
    family: 'moderations',
    handle: createModeration,
  },
];

/** A matched route with its `{id}` path parameter (empty when it has none). */
export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly id: string;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Finds the route for a method and a path relative to the base path. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  for (const route of routeTable) {
    if (route.method !== method) continue;
    const parts = route.pattern.split('/').filter((part) => part !== '');
    if (parts.length !== segments.length) continue;
    let id = '';
    const matches = parts.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part !== '{id}') return part === segment;
      id = safeDecode(segment);
      return true;
    });
    if (matches) return { route, id };
  }
  return undefined;
}
