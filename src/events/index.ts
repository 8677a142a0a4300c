/** The event stage: the Segment contract, its validator, and the identity-resolution kernel. */
export {
  MESSAGE_TYPES, KNOWN_EVENTS, NUMERIC_PROPERTIES, CONSENT_PURPOSES, eventTime, parseTime, validateMessage,
  type MessageType, type KnownEvent, type ConsentPurpose, type Consent, type JsonObject, type SegmentMessage,
  type OrderProduct,
} from './contract.js';
export { readNumber } from './numeric-text.js';
export { resolveComponents, type IdentityGraph } from './identity.js';
export { DEFAULT_PII_TRAITS, PII_HASH_PREFIX, PII_WHITE_SPACE, isHashedPiiValue, piiCanonicalText, piiHash } from './pii.js';
