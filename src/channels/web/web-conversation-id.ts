import { randomBytes } from 'node:crypto';

/**
 * Web chat conversations are named `web:<random>` by the server alone: the generic channel refuses
 * this prefix, so no channel can write into a web chat or make its own conversation readable
 * through the public chat API, and the store can give these the web chat's short lifetime by id.
 */
export const WEB_CONVERSATION_PREFIX = 'web:';
export const WEB_CONVERSATION_ID = /^web:[A-Za-z0-9_-]{24}$/;

export function newWebConversationId(): string {
  return `${WEB_CONVERSATION_PREFIX}${randomBytes(18).toString('base64url')}`;
}

export function isWebConversationId(id: string): boolean {
  return id.startsWith(WEB_CONVERSATION_PREFIX);
}
