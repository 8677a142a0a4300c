/** The HTTP service stage: `segmenta serve`. */
export { startServer, type ServerHandle, type StartOptions } from './server.js';
export { resolveServeOptions, parseServeArgs, serveCommandOptions, SERVE_USAGE, DEFAULT_SERVE_OPTIONS, type ServeOptions } from './options.js';
export { LIMITS } from './ingest/collect.js';
export { runServe, type ServeIo } from './serve-command.js';
export { adminRefusal, type Refusal } from './http/auth.js';
