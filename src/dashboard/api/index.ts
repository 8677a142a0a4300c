/**
 * The dashboard's data layer: one pure function per page, each taking a `Store` and returning a JSON-serialisable
 * payload (see `types.ts`). The server calls them from `GET /api/<name>`; they never throw for an empty database or
 * a running run (the payload's `state` says so), only for bad input (InputError) or an unknown id (NotFoundError).
 */
export { overview } from './overview.js';
export { segments } from './segments.js';
export { segmentMembers } from './members.js';
export { modelChoice } from './model-choice.js';
export { customerSearch, customerProfile } from './customers.js';
export { cohorts } from './cohorts.js';
export { journeys } from './journeys.js';
export { quality } from './quality.js';
export type * from './types.js';
export { MEMBER_SORT_KEYS } from './types.js';
