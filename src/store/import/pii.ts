/**
 * PII hashed at the door, for the events file importer: the SQL twin of the server's `Privacy` (rules and
 * canonical form in `events/pii.ts`). The expressions go into the projection of the write to `events`, so a file
 * is not read again; `customers.traits` is built from the stored traits and so holds only hashes too.
 *
 * HMAC-SHA256 (RFC 2104) is built from DuckDB's `sha256`: SHA256((K0 ⊕ opad) || SHA256((K0 ⊕ ipad) || m)), with
 * the two 64-byte pads computed here and bound as BLOB parameters (the secret never appears in SQL text, so it
 * cannot leak through a statement trace or an error message).
 *
 * Cost: a row pays only cheap text tests unless its `traits`, or the `traits` of its `context`, may name a PII
 * key; those documents are parsed for their keys, and rewritten (one more parse) when a PII key is there.
 * Measured on 2 cores: +0.04 µs a row for rows without PII, ~5 µs a document with two PII values (two HMACs).
 *
 * Where DuckDB and JavaScript can still disagree (the cases that agree are checked in `pii.test.ts`):
 * - lower-casing (email values and key names): DuckDB maps one code point to one (`İ` is handled here); the final
 *   sigma (`Σ` → `ς` at a word's end) and letters newer than DuckDB's Unicode tables (Unicode 16) are not;
 * - values that are not strings are hashed over their JSON text, which is `JSON.stringify`'s for integers up to
 *   2^53, booleans, a whole double (`1.0` → `1`) and objects/arrays of strings, integers and booleans; other
 *   numbers may be written differently (`1e-7`: JavaScript `1e-7`, DuckDB `1e-07`; `1.0` inside an object), and so
 *   may control characters inside an object's strings (DuckDB `\u001F`, JavaScript `\u001f`);
 * - a document that repeats a key keeps both copies (JavaScript keeps the last value), each hashed when PII.
 */
import { createHash } from 'node:crypto';
import { blobValue, type DuckDBValue } from '@duckdb/node-api';
import { PII_HASH_PREFIX, PII_WHITE_SPACE } from '../../events/index.js';
import { quoteLiteral } from '../db.js';
import { mayHaveKey } from './events-source.js';

export interface PiiHashing {
  /** Trait names hashed, matched without regard to case. */
  readonly traits: readonly string[];
  readonly secret: string;
}

/** The stored `traits` and `context` columns as expressions over the import view, and the parameters they use. */
export interface PiiColumns {
  readonly traits: string;
  readonly context: string;
  readonly params: readonly DuckDBValue[];
}

/** `String.prototype.trim`'s white space as an RE2 class (none of its characters needs escaping in a class). */
const WHITE_SPACE_CLASS = `[${PII_WHITE_SPACE}]`;

/** SHA-256's block size: RFC 2104 pads the key to it. */
const BLOCK_BYTES = 64;

/** The HMAC-SHA256 key pads of RFC 2104 for `secret` (its UTF-8 bytes, as node's `createHmac` takes a string). */
export function hmacPads(secret: string): { inner: Uint8Array; outer: Uint8Array } {
  let key = Buffer.from(secret, 'utf8');
  if (key.length > BLOCK_BYTES) key = createHash('sha256').update(key).digest();
  const padded = new Uint8Array(BLOCK_BYTES);
  padded.set(key);
  return { inner: padded.map((b) => b ^ 0x36), outer: padded.map((b) => b ^ 0x5c) };
}

/**
 * `traits` and `context` with PII traits hashed. The pads are bound as `$firstParam` and `$firstParam + 1`; the
 * caller appends `params` to its own. With no PII names, the columns are returned as they are.
 */
export function piiColumns(hashing: PiiHashing, firstParam: number): PiiColumns {
  if (hashing.traits.length === 0) return { traits: 'traits', context: 'context', params: [] };
  const { inner, outer } = hmacPads(hashing.secret);
  const sql = new PiiSql(hashing.traits, `$${firstParam}`, `$${firstParam + 1}`);
  return { traits: sql.traits('traits'), context: sql.context('context'), params: [blobValue(inner), blobValue(outer)] };
}

/** Reads a JSON object as its (key, value) entries, in document order, duplicates kept, JSON null as SQL NULL. */
const entries = (doc: string): string => `map_entries(json_transform(${doc}, '"MAP(VARCHAR, JSON)"'))`;

/**
 * The JSON object text of a document's entries, each value given by `value` over the lambda variable `v`; NULL for
 * anything but a non-empty object. Joined by `list_aggr`, not `array_to_string`: that is a macro naming its list
 * twice, and inside a CASE branch (where DuckDB does not share common subexpressions) the lambda ran twice.
 */
const objectOf = (doc: string, v: string, value: string): string =>
  `('{' || list_aggr(list_transform(${entries(doc)}, ${v} -> to_json(${v}.key)::VARCHAR || ':' || ${value}), 'string_agg', ',') || '}')`;

const asIs = (v: string): string => `coalesce(${v}.value::VARCHAR, 'null')`;

/**
 * JavaScript's `toLowerCase` in DuckDB: `lower` maps `İ` to `i`, where JavaScript gives `i̇` (i and a combining dot),
 * so an `EMAİL` key would match `email` here and not in the server.
 */
const jsLower = (text: string): string => `lower(replace(${text}, 'İ', ${quoteLiteral('i\u0307')}))`;

/** The SQL: each document is tested (text first, then its keys) and rewritten only when it holds a PII key. */
class PiiSql {
  private readonly names: string;
  private readonly precheck: string | undefined;

  constructor(traits: readonly string[], private readonly inner: string, private readonly outer: string) {
    const lowered = [...new Set(traits.map((t) => t.toLowerCase()))];
    this.names = `(${lowered.map(quoteLiteral).join(', ')})`;
    this.precheck = keyPattern(lowered);
  }

  /** The stored `traits`: rewritten only when it holds a PII key. */
  traits(doc: string): string {
    return `(CASE WHEN ${this.mayHavePii(doc)} AND ${this.holdsPii(doc)} THEN ${this.hashed(doc, 'e')}::JSON ELSE ${doc} END)`;
  }

  /** The stored `context`: rewritten only when its `traits` object holds a PII key; every other key kept. */
  context(doc: string): string {
    const needed = `${mayHaveKey(doc, 'traits')} AND ${this.mayHavePii(doc)} AND ${this.holdsPii(`json_extract(${doc}, '$.traits')`)}`;
    // The traits are rewritten for every entry, as NULL for all but `traits`: cheaper than a CASE around the lambda.
    const traits = this.hashed(`(CASE WHEN c.key = 'traits' THEN c.value END)`, 't');
    return `(CASE WHEN ${needed} THEN ${objectOf(doc, 'c', `coalesce(${traits}, ${asIs('c')})`)}::JSON ELSE ${doc} END)`;
  }

  /** False only when no PII key can be in the document's text: one regular-expression scan, no JSON parsing. */
  private mayHavePii(doc: string): string {
    return this.precheck === undefined ? 'true' : `regexp_matches(${doc}::VARCHAR, ${quoteLiteral(this.precheck)})`;
  }

  /** True when the JSON object has a PII key (a non-object has no keys). One parse. */
  private holdsPii(doc: string): string {
    return `(len(list_filter(json_keys(${doc}), k -> ${this.isPii('k')})) > 0)`;
  }

  private isPii(key: string): string {
    return `${jsLower(key)} IN ${this.names}`;
  }

  /**
   * The object text with each PII value that is neither null nor '' replaced by its hash; v is the lambda variable.
   * NULL for NULL and for anything but a non-empty object (DuckDB reads no map from the others).
   */
  private hashed(doc: string, v: string): string {
    const hash = `to_json(${quoteLiteral(PII_HASH_PREFIX)} || ${this.hmac(canonical(`${v}.key`, `${v}.value`))})::VARCHAR`;
    return objectOf(doc, v, `(CASE WHEN ${this.isPii(`${v}.key`)} AND ${v}.value IS NOT NULL AND ${v}.value::VARCHAR <> '""' THEN ${hash} ELSE ${asIs(v)} END)`);
  }

  /** HMAC-SHA256 of the UTF-8 bytes of `text`, as lower-case hex (as node's `digest('hex')`). */
  private hmac(text: string): string {
    return `sha256(${this.outer} || unhex(sha256(${this.inner} || encode(${text}))))`;
  }
}

/** `piiCanonicalText` in SQL, for a key and its JSON value. */
function canonical(key: string, value: string): string {
  const number = `(${value} ->> '$')::DOUBLE`;
  // JSON.stringify writes a whole number without a fraction; DuckDB's JSON keeps the `.0` of a double.
  const text = `(CASE json_type(${value}) WHEN 'VARCHAR' THEN ${value} ->> '$'
    WHEN 'DOUBLE' THEN (CASE WHEN ${number} = trunc(${number}) AND abs(${number}) < 9007199254740992 THEN ${number}::BIGINT::VARCHAR ELSE ${number}::VARCHAR END)
    ELSE ${value}::VARCHAR END)`;
  // A regular expression, not trim(text, characters): DuckDB's trim over a set of 25 characters costs ~1 µs a value.
  const trimmed = `regexp_replace(${text}, ${quoteLiteral(`^${WHITE_SPACE_CLASS}+|${WHITE_SPACE_CLASS}+$`)}, '', 'g')`;
  return `(CASE WHEN ${jsLower(key)} = 'email' THEN ${jsLower(trimmed)} ELSE ${trimmed} END)`;
}

/**
 * A case-insensitive RE2 pattern that finds any of the names as a quoted key, or a `\u` escape that could spell one;
 * undefined when a name could be written with other escapes in JSON (`"`, `\`, `/`, control characters), so that no
 * text test can rule it out.
 */
function keyPattern(names: readonly string[]): string | undefined {
  if (names.some((n) => JSON.stringify(n) !== `"${n}"` || n.includes('/'))) return undefined;
  const escaped = names.map((n) => n.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&'));
  return `"(?i:${escaped.join('|')})"|\\\\u`;
}
