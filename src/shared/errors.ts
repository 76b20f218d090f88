/** Base of every failure we throw on purpose; `code` is stable and mapped to HTTP in one place. */
export class AppError extends Error {
  readonly code: string;
  readonly details: unknown[];
  constructor(code: string, message: string, options: { cause?: unknown; details?: unknown[] } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? [];
  }
}

export class ConfigError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CONFIG_INVALID', message, options);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: unknown[] = []) {
    super('VALIDATION_FAILED', message, { details });
  }
}

export class SignatureError extends AppError {
  constructor(message: string) {
    super('CHANNEL_SIGNATURE_INVALID', message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'a valid bearer token is required') {
    super('UNAUTHORIZED', message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class QueueUnavailableError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('QUEUE_UNAVAILABLE', message, options);
  }
}

/** The channel did not take the message this time: retried with backoff, or after `retryAfterMs` when the channel said so. */
export class ChannelSendError extends AppError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super('CHANNEL_SEND_FAILED', message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Not now: the channel's send pace has no slot soon enough. The message waits `retryAfterMs`; the channel itself is fine. */
export class ChannelBusyError extends ChannelSendError {
  constructor(message: string, retryAfterMs: number) {
    super(message, { retryAfterMs });
  }
}

/**
 * The channel refused this one message for good (the buyer blocked the bot, the chat is gone):
 * retrying can't help. It is kept with the reason where the admin API lists failed messages.
 */
export class ChannelRefusedError extends AppError {
  constructor(reason: string) {
    super('CHANNEL_REFUSED', `cannot be sent: ${reason}`);
  }
}

/** No worker thread or process is ready to classify (they are starting, or restarting after a crash). */
export class WorkersUnavailableError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('WORKERS_UNAVAILABLE', message, options);
  }
}

export class RedisUnavailableError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('REDIS_UNAVAILABLE', message, options);
  }
}

/** A lock expired before the write it guarded: nothing was written; the job is retried. */
export class LockLostError extends AppError {
  constructor(message: string) {
    super('LOCK_LOST', message);
  }
}

/** Another request holds a record (its lock) for longer than we wait: nothing was written; try again. */
export class BusyError extends AppError {
  constructor(what: string) {
    super('BUSY', `${what} is being changed by another request; try again in a moment`);
  }
}

/** The outbound guard stopped a message (a phone number, a link to another shop…): retrying can't help. */
export class OutboundBlockedError extends AppError {
  constructor(rule: string) {
    super('OUTBOUND_BLOCKED', `blocked by the outbound guard: ${rule}`);
  }
}

/** Redis keeps accepted messages in memory only (no append-only file, no replica) and REDIS_REQUIRE_DURABLE is on. */
export class RedisNotDurableError extends AppError {
  constructor(message: string) {
    super('REDIS_NOT_DURABLE', message);
  }
}
