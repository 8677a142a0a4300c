import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventTime, parseTime, validateMessage } from './contract.js';

const base = { type: 'track', messageId: 'm-1', userId: 'u-1', event: 'Product Viewed', timestamp: '2024-05-01T10:00:00Z' };

test('validateMessage accepts a well-formed track message and any event name', () => {
  assert.deepEqual(validateMessage(base, 'events[0]'), []);
  assert.deepEqual(validateMessage({ ...base, event: 'Wishlist Shared', properties: { price: '4.5' } }, 'events[0]'), []);
});

test('validateMessage reports every problem with the field and the value received', () => {
  const issues = validateMessage({ type: 'alias', messageId: '', timestamp: 'soon', properties: { price: 'cheap' }, context: { consent: { marketing: 'yes', ads: true } } }, 'events[3]');
  assert.deepEqual(issues.map((i) => i.message), [
    'messageId: is required (got "")',
    'userId: userId or anonymousId is required (got neither)',
    'userId: alias requires userId',
    'previousId: alias requires previousId (got null)',
    'timestamp: cannot read "soon" as an ISO 8601 time',
    'properties.price: cannot read "cheap" as a number',
    'context.consent.marketing: must be true or false (got "yes")',
    'context.consent.ads: unknown purpose (expected one of analytics, personalization, marketing)',
  ]);
  assert.ok(issues.every((i) => i.path === 'events[3]'));
});

test('validateMessage checks the type and the products of Order Completed', () => {
  assert.deepEqual(validateMessage({ ...base, type: 'click' }, 'e').map((i) => i.message),
    ['type: must be one of track, identify, page, screen, group, alias (got "click")']);
  assert.deepEqual(validateMessage({ ...base, event: 'Order Completed', properties: { products: [{ price: 'x' }] } }, 'e').map((i) => i.message), [
    'properties.order_id: Order Completed requires order_id (got null)',
    'properties.products[0].price: cannot read "x" as a number',
  ]);
});

test('validateMessage reads numeric text as decimal only, as the file importer does', () => {
  assert.deepEqual(validateMessage({ ...base, properties: { price: ' 1.5e2 ', quantity: '.5', discount: '5.' } }, 'e'), []);
  assert.deepEqual(validateMessage({ ...base, properties: { price: '0x1A', quantity: '', discount: 'Infinity' } }, 'e').map((i) => i.message), [
    'properties.price: cannot read "0x1A" as a number',
    'properties.quantity: cannot read "" as a number',
    'properties.discount: cannot read "Infinity" as a number',
  ]);
});

test('eventTime prefers timestamp, then corrects originalTimestamp for clock skew, then receivedAt', () => {
  assert.deepEqual(eventTime({ timestamp: '2024-05-01T12:00:00+02:00' }), new Date('2024-05-01T10:00:00Z'));
  // Segment spec: timestamp = receivedAt − (sentAt − originalTimestamp).
  assert.deepEqual(eventTime({ originalTimestamp: '2024-05-01T10:05:00Z', sentAt: '2024-05-01T10:05:10Z', receivedAt: '2024-05-01T08:05:12Z' }),
    new Date('2024-05-01T08:05:02Z'));
  assert.deepEqual(eventTime({ originalTimestamp: '2024-05-01T10:05:00Z' }), new Date('2024-05-01T10:05:00Z'));
  assert.deepEqual(eventTime({ receivedAt: '2024-05-01 10:05:00' }), new Date('2024-05-01T10:05:00Z'));
  assert.equal(eventTime({}), undefined);
  assert.equal(parseTime('2024-13-01T00:00:00Z'), undefined);
});
