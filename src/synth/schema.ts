/**
 * Column layouts of the temporary TSV files and the SQL that turns each into its Parquet table. The TSV
 * carries timestamps as epoch milliseconds; Parquet gets `TIMESTAMP` (UTC wall time).
 */

export interface TableLayout {
  /** TSV column name → DuckDB type, in file order. */
  readonly columns: readonly (readonly [string, string])[];
  /** Select list over those columns, giving the Parquet columns in order. */
  readonly select: string;
}

export const EVENTS: TableLayout = {
  columns: [
    ['messageId', 'VARCHAR'], ['type', 'VARCHAR'], ['event', 'VARCHAR'], ['name', 'VARCHAR'], ['userId', 'VARCHAR'],
    ['anonymousId', 'VARCHAR'], ['previousId', 'VARCHAR'], ['groupId', 'VARCHAR'], ['ts', 'BIGINT'],
    ['properties', 'VARCHAR'], ['traits', 'VARCHAR'], ['context', 'VARCHAR'],
  ],
  select: `messageId, type, event, name, userId, anonymousId, previousId, groupId, epoch_ms(ts) AS "timestamp",
    properties, traits, context`,
};

export const ORDERS: TableLayout = {
  columns: [
    ['order_id', 'VARCHAR'], ['customer_id', 'VARCHAR'], ['ts', 'BIGINT'], ['product_id', 'VARCHAR'],
    ['description', 'VARCHAR'], ['category', 'VARCHAR'], ['quantity', 'INTEGER'], ['unit_price', 'DOUBLE'],
    ['discount', 'DOUBLE'], ['country', 'VARCHAR'],
  ],
  select: `order_id, customer_id, epoch_ms(ts) AS ordered_at, product_id, description, category, quantity,
    unit_price, discount, country`,
};

export const PRODUCTS: TableLayout = {
  columns: [['product_id', 'VARCHAR'], ['name', 'VARCHAR'], ['category', 'VARCHAR'], ['price', 'DOUBLE']],
  select: 'product_id, name, category, price',
};
