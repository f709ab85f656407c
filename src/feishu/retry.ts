// Retries moved to the HTTP layer; this keeps the old import path working.
export * from '../http/retry.js';
