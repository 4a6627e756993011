// Each resource's filters, declared once in its module: the list's schema, the store's conditions, and the totals kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterConditions } from '../src/http/list-query.js';
import { BOOKING_FILTERS, BookingListQuery } from '../src/modules/booking/booking.schema.js';
import { CUSTOMER_FILTERS } from '../src/modules/customer/customer.schema.js';

describe('list filters', () => {
  it('are the list query parameters besides paging, sync and search', () => {
    assert.deepEqual(Object.keys(BookingListQuery.properties), [
      'page',
      'limit',
      'cursor',
      'updatedsince',
      'search',
      ...Object.keys(BOOKING_FILTERS),
    ]);
  });

  it('become conditions for the values given only, in their stored form, paging and search left out', () => {
    const query = {
      page: 2,
      search: 'x',
      customerid: '507f1f77bcf86cd799439011',
      from: '2024-01-15',
      to: '2024-01-16T03:00:00+03:00',
    };
    assert.deepEqual(filterConditions(BOOKING_FILTERS, query), [
      { column: 'customerid', op: '=', value: '507f1f77bcf86cd799439011', counted: true },
      { column: 'starttime', op: '>=', value: '2024-01-15T00:00:00.000Z', counted: undefined },
      { column: 'starttime', op: '<', value: '2024-01-16T00:00:00.000Z', counted: undefined },
    ]);
    assert.deepEqual(filterConditions(CUSTOMER_FILTERS, { active: false }), [
      { column: 'active', op: '=', value: 0, counted: true },
    ]);
  });
});
