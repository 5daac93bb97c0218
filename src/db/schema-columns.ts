/** Column types shared by the table types (schema.ts and its companions), as the type parsers read them. */
import type { ColumnType } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** Dates are read as 'YYYY-MM-DD' strings (see the type parsers in database.ts). */
export type LocalDate = ColumnType<string, string, string>;
/** bigint columns are read as numbers (see the type parsers in database.ts). */
export type BigId = ColumnType<number, never, never>;
export type BigRef = number;
