// The tenant's state: conversations (with their turns) and uploaded files (with their processing
// outcome). A file's status is a function of the time since upload, so no timers are needed.
import { randomBytes } from 'node:crypto';
import { decodeProblem } from './content/decode-check.ts';

export interface ConversationTurn {
  model: string;
  prompt: string;
  reply: string;
  at: number;
}

export interface Conversation {
  id: string;
  family: string;
  model: string;
  title: string | null;
  created: number; // unix seconds
  turns: ConversationTurn[];
}

export interface StoredFile {
  id: string;
  family: string;
  filename: string;
  bytes: number;
  contentType: string;
  uploadedAtMs: number;
  target: { dataset_id: string } | { conversation_id: string };
  /** set at upload: why processing will fail, or undefined when it will succeed */
  failure?: string;
  /** for the ready-regresses defect: how many times it was served as ready */
  readyReads: number;
}

export interface TenantListing {
  files: Array<{ id: string; filename: string }>;
  conversations: Array<{ id: string; title: string | null }>;
}

export type FileState = 'pending-1' | 'pending-2' | 'ready' | 'failed';

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

export class TenantStore {
  private readonly conversations = new Map<string, Conversation>();
  private readonly files = new Map<string, StoredFile>();

  constructor(private readonly now: () => number = Date.now) {}

  createConversation(family: string, model: string, title: string | null): Conversation {
    const conversation: Conversation = { id: newId('conv'), family, model, title, created: Math.floor(this.now() / 1000), turns: [] };
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  conversation(id: string): Conversation | undefined {
    return this.conversations.get(id);
  }

  addFile(input: { family: string; filename: string; data: Buffer; contentType: string; target: StoredFile['target'] }): StoredFile {
    const file: StoredFile = {
      id: newId('file'),
      family: input.family,
      filename: input.filename,
      bytes: input.data.length,
      contentType: input.contentType,
      uploadedAtMs: this.now(),
      target: input.target,
      failure: decodeProblem(input.filename, input.data),
      readyReads: 0,
    };
    this.files.set(file.id, file);
    return file;
  }

  file(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  /** What exists, by name: how a test sees what a run created. */
  listing(): TenantListing {
    return {
      files: [...this.files.values()].map((f) => ({ id: f.id, filename: f.filename })),
      conversations: [...this.conversations.values()].map((c) => ({ id: c.id, title: c.title })),
    };
  }

  /** How long until the file's processing ends (0 once it has). */
  remainingMs(file: StoredFile, processingMs: number): number {
    return Math.max(0, processingMs - (this.now() - file.uploadedAtMs));
  }

  /** Where a file is in its lifecycle: the first third of processingMs, the rest, then its outcome. */
  stateOf(file: StoredFile, processingMs: number): FileState {
    const elapsed = this.now() - file.uploadedAtMs;
    if (elapsed >= processingMs) return file.failure ? 'failed' : 'ready';
    return elapsed < processingMs / 3 ? 'pending-1' : 'pending-2';
  }
}
