/**
 * File imports into the store: orders (CSV/Parquet, column mapping, presets) and Segment events
 * (JSONL/CSV/Parquet), each all-or-nothing and safe to repeat; identity resolution over the events' links.
 */
export { importOrders, type ImportOrdersOptions } from './orders.js';
export { importEvents, type ImportEventsOptions } from './events.js';
export {
  resolveIdentities, createEventsResolvedView, resolvedCustomerSql, EVENTS_RESOLVED_VIEW, type IdentityResolution,
} from './identities.js';
export {
  ORDER_FIELDS, ORDER_PRESETS, REQUIRED_ORDER_FIELDS, orderPreset, presetDefaultFile, type OrderField, type OrderPreset, type OrderPresetName,
} from './presets.js';
export type { ImportReport, ImportKind } from './report.js';
