/**
 * Versioned schema migrations. Each entry runs once, in order, inside a transaction, and is recorded in
 * `schema_migrations`. Never edit a released migration: add a new one.
 */
import type { Store } from './db.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** When given, the SQL runs only if this says so (the migration is recorded either way). */
  readonly when?: (store: Store) => Promise<boolean>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core tables',
    sql: `
      CREATE TABLE events (
        message_id     VARCHAR NOT NULL,    -- Segment messageId: the idempotency key
        type           VARCHAR NOT NULL,    -- track | identify | page | screen | group | alias
        event          VARCHAR,             -- track event name, e.g. 'Product Viewed'
        name           VARCHAR,             -- page/screen name
        user_id        VARCHAR,
        anonymous_id   VARCHAR,
        previous_id    VARCHAR,             -- alias only
        group_id       VARCHAR,             -- group only
        ts             TIMESTAMP NOT NULL,  -- UTC event time
        received_at    TIMESTAMP,
        session_id     VARCHAR,
        product_id     VARCHAR,
        category       VARCHAR,
        price          DOUBLE,
        quantity       DOUBLE,
        order_id       VARCHAR,
        revenue        DOUBLE,
        discount       DOUBLE,
        dwell_seconds  DOUBLE,
        properties     JSON,
        traits         JSON,
        context        JSON,
        import_id      VARCHAR NOT NULL
      );
      CREATE TABLE identity_links (
        from_id     VARCHAR NOT NULL,   -- an anonymousId or previousId
        to_id       VARCHAR NOT NULL,   -- a userId
        source      VARCHAR NOT NULL,   -- identify | alias
        ts          TIMESTAMP NOT NULL
      );
      CREATE TABLE identities (
        alias_id     VARCHAR PRIMARY KEY,  -- any id seen (userId or anonymousId)
        customer_id  VARCHAR NOT NULL      -- the resolved customer
      );
      CREATE TABLE customers (
        customer_id  VARCHAR PRIMARY KEY,
        first_seen   TIMESTAMP,
        last_seen    TIMESTAMP,
        traits       JSON,
        consent      JSON,
        country      VARCHAR
      );
      CREATE TABLE products (
        product_id   VARCHAR PRIMARY KEY,
        name         VARCHAR,
        category     VARCHAR,
        price        DOUBLE
      );
      CREATE TABLE orders (
        order_id     VARCHAR PRIMARY KEY,
        customer_id  VARCHAR,
        ordered_at   TIMESTAMP NOT NULL,
        kind         VARCHAR NOT NULL,      -- purchase | cancellation
        revenue      DOUBLE,
        discount     DOUBLE,
        country      VARCHAR,
        source       VARCHAR NOT NULL,      -- 'orders' file or 'events'
        import_id    VARCHAR NOT NULL
      );
      CREATE TABLE order_lines (
        order_id     VARCHAR NOT NULL,
        line_no      INTEGER NOT NULL,
        customer_id  VARCHAR,
        product_id   VARCHAR,
        description  VARCHAR,
        category     VARCHAR,
        quantity     DOUBLE NOT NULL,
        unit_price   DOUBLE NOT NULL,
        discount     DOUBLE NOT NULL DEFAULT 0,
        ordered_at   TIMESTAMP NOT NULL,
        country      VARCHAR,
        import_id    VARCHAR NOT NULL
      );
      CREATE TABLE imports (
        import_id    VARCHAR PRIMARY KEY,
        kind         VARCHAR NOT NULL,      -- events | orders
        source       VARCHAR NOT NULL,      -- file path or preset
        rows_read    BIGINT NOT NULL,
        rows_written BIGINT NOT NULL,
        rows_skipped BIGINT NOT NULL,
        started_at   TIMESTAMP NOT NULL,
        finished_at  TIMESTAMP NOT NULL,
        report       JSON
      );
      CREATE TABLE feature_snapshots (
        snapshot_id  VARCHAR PRIMARY KEY,
        as_of        TIMESTAMP NOT NULL,
        created_at   TIMESTAMP NOT NULL,
        customers    BIGINT NOT NULL,
        definitions  JSON NOT NULL
      );
      CREATE TABLE segment_runs (
        run_id       VARCHAR PRIMARY KEY,
        snapshot_id  VARCHAR,
        created_at   TIMESTAMP NOT NULL,
        status       VARCHAR NOT NULL,      -- running | done | failed
        method       VARCHAR NOT NULL,
        k            INTEGER,
        seed         BIGINT,
        params       JSON,
        model        JSON,                  -- scaling, centroids, names: enough to assign a new customer
        metrics      JSON,
        segments     JSON                   -- per segment: name, reason, size, strategy
      );
      CREATE TABLE segment_memberships (
        run_id       VARCHAR NOT NULL,
        customer_id  VARCHAR NOT NULL,
        cluster      INTEGER,
        segment_name VARCHAR,
        rfm_r        TINYINT,
        rfm_f        TINYINT,
        rfm_m        TINYINT,
        rfm_score    VARCHAR,
        rfm_segment  VARCHAR
      );
      CREATE TABLE audit_log (
        logged_at    TIMESTAMP NOT NULL,
        actor        VARCHAR NOT NULL,
        action       VARCHAR NOT NULL,
        subject      VARCHAR,
        detail       JSON
      );
    `,
  },
  {
    version: 2,
    name: 'service settings, live segments, predictions',
    // IF NOT EXISTS: databases written before this migration may already hold these tables, which the server
    // and the predict step used to create themselves with the same definitions.
    sql: `
      CREATE TABLE IF NOT EXISTS server_settings (
        name        VARCHAR PRIMARY KEY,
        value       VARCHAR NOT NULL,
        created_at  TIMESTAMP NOT NULL
      );
      CREATE TABLE IF NOT EXISTS segment_events (
        changed_at   TIMESTAMP NOT NULL,
        customer_id  VARCHAR NOT NULL,
        run_id       VARCHAR NOT NULL,
        kind         VARCHAR NOT NULL,   -- rfm
        change       VARCHAR NOT NULL,   -- entered | exited
        segment      VARCHAR NOT NULL,
        score        VARCHAR,
        message_id   VARCHAR             -- the event that caused it
      );
      CREATE TABLE IF NOT EXISTS live_segments (
        customer_id  VARCHAR PRIMARY KEY,
        run_id       VARCHAR NOT NULL,
        rfm_score    VARCHAR,
        rfm_segment  VARCHAR,
        updated_at   TIMESTAMP NOT NULL
      );
      CREATE TABLE IF NOT EXISTS customer_predictions (
        customer_id  VARCHAR NOT NULL,
        target       VARCHAR NOT NULL,   -- churn | propensity
        horizon_days INTEGER NOT NULL,
        probability  DOUBLE NOT NULL,    -- P(target within the next horizon_days after as_of)
        model        VARCHAR NOT NULL,   -- gbt | forest | logistic
        as_of        TIMESTAMP NOT NULL,
        created_at   TIMESTAMP NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'product name on events',
    // properties.name of an event about a product (Product Viewed, Product Added, ...), so the products table
    // can be kept up to date without parsing every event's properties again.
    sql: `ALTER TABLE events ADD COLUMN product_name VARCHAR`,
  },
  {
    version: 4,
    name: 'segment predictions and prediction models',
    // A segment prediction (target 'segment') names the run and the predicted cluster; churn and propensity rows
    // leave the three columns NULL. prediction_models keeps one evaluation per target and horizon (the latest), so
    // the report can say how far a score can be trusted.
    sql: `
      ALTER TABLE customer_predictions ADD COLUMN run_id VARCHAR;
      ALTER TABLE customer_predictions ADD COLUMN cluster INTEGER;
      ALTER TABLE customer_predictions ADD COLUMN segment_name VARCHAR;
      CREATE TABLE prediction_models (
        target       VARCHAR NOT NULL,   -- churn | propensity | segment
        horizon_days INTEGER NOT NULL,   -- 0 for segment
        model        VARCHAR NOT NULL,   -- gbt | forest | logistic
        run_id       VARCHAR,            -- the segmentation run a segment model was trained on
        as_of        TIMESTAMP NOT NULL,
        created_at   TIMESTAMP NOT NULL,
        customers    BIGINT NOT NULL,    -- customers scored
        metrics      JSON NOT NULL       -- the held-out or cross-validated evaluation
      );
    `,
  },
  {
    version: 5,
    name: 'live K-means segment',
    // The live K-means assignment beside the live RFM one: the cluster and its segment name, and when it changed
    // (`updated_at` stays the RFM columns' time).
    sql: `
      ALTER TABLE live_segments ADD COLUMN cluster INTEGER;
      ALTER TABLE live_segments ADD COLUMN segment_name VARCHAR;
      ALTER TABLE live_segments ADD COLUMN cluster_updated_at TIMESTAMP;
    `,
  },
  {
    version: 6,
    name: 'ingest journal position',
    // The server acknowledges events once they are in its journal (segment files beside the database) and loads
    // each segment into DuckDB later; the newest segment loaded is recorded in the same transaction, so a segment
    // is loaded exactly once whatever moment the process dies at.
    sql: `
      CREATE TABLE ingest_journal (
        journal       VARCHAR PRIMARY KEY,  -- the journal directory's name
        last_segment  BIGINT NOT NULL,      -- segments numbered up to this one are in the tables
        loaded_at     TIMESTAMP NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'erased message ids',
    // An erasure deletes a customer's events; their messageIds (random ids, no personal data) stay here so a
    // client's retry of one of them is answered duplicate, not stored again, also after a restart.
    sql: `
      CREATE TABLE erased_messages (
        message_id   VARCHAR NOT NULL,
        received_at  TIMESTAMP NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'events column compression',
    // Each text column of \`events\` is given the compression DuckDB's analysis picks for it on Segment data anyway
    // (dictionary for repeated names and ids, FSST for unique ids and JSON), so writes skip the analysis: it tried
    // a dictionary on every segment of unique messageIds, among others. The events INSERT of a 10.9M-event import:
    // 21.7, 21.9 and 30.1 s against 25.3, 29.0 and 31.7 s in three alternated pairs (one pair of whole imports went the
    // other way, 52.0 against 47.9 s, at a slow moment); the same file size; features 6.1-6.4 against 6.3-7.8 s.
    // DuckDB cannot alter a column's compression, so the table is rebuilt, and only while it is empty: over a
    // database that holds events the copy would cost more than it saves (20 s at 10.9M events, and the file
    // doubles), so such a table keeps DuckDB's automatic choice, which reads and writes the same rows.
    when: async (store) => !(await store.scalar<boolean>('SELECT EXISTS (SELECT 1 FROM events)')),
    sql: `
      CREATE TABLE events_compressed (
        message_id     VARCHAR NOT NULL USING COMPRESSION fsst,
        type           VARCHAR NOT NULL USING COMPRESSION dictionary,
        event          VARCHAR USING COMPRESSION dictionary,
        name           VARCHAR USING COMPRESSION fsst,
        user_id        VARCHAR USING COMPRESSION dictionary,
        anonymous_id   VARCHAR USING COMPRESSION dictionary,
        previous_id    VARCHAR USING COMPRESSION fsst,
        group_id       VARCHAR USING COMPRESSION dictionary,
        ts             TIMESTAMP NOT NULL,
        received_at    TIMESTAMP,
        session_id     VARCHAR USING COMPRESSION dictionary,
        product_id     VARCHAR USING COMPRESSION dictionary,
        category       VARCHAR USING COMPRESSION dictionary,
        price          DOUBLE,
        quantity       DOUBLE,
        order_id       VARCHAR USING COMPRESSION fsst,
        revenue        DOUBLE,
        discount       DOUBLE,
        dwell_seconds  DOUBLE,
        properties     JSON USING COMPRESSION fsst,
        traits         JSON USING COMPRESSION fsst,
        context        JSON USING COMPRESSION dictionary,
        import_id      VARCHAR NOT NULL USING COMPRESSION dictionary,
        product_name   VARCHAR USING COMPRESSION dictionary
      );
      DROP TABLE events;
      ALTER TABLE events_compressed RENAME TO events;
    `,
  },
];

/** Applies every migration newer than the database's version, each in its own transaction. */
export async function migrate(store: Store): Promise<number> {
  await store.run(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`);
  const current = Number((await store.scalar<number>('SELECT coalesce(max(version), 0) FROM schema_migrations')) ?? 0);
  let applied = 0;
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    await store.transaction(async () => {
      if (!migration.when || await migration.when(store)) await store.run(migration.sql);
      await store.run('INSERT INTO schema_migrations VALUES ($1, $2, now()::TIMESTAMP)', [migration.version, migration.name]);
    });
    applied++;
  }
  return applied;
}
