import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../common/common.schemas.ts';

export const SEARCH_QUERY_MAX = 200;
export const SEARCH_LIMIT_MAX = 50;

/** A record type in the index (`office`, `site`, `task`…): a slug, so a bad value is a clear 400. */
export const SearchEntityTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'must be a record type such as office, site or task' });

/**
 * Highlighted text as plain segments: the client renders each as a text node (a `<mark>` element
 * around those with `hit: true`) and never needs to inject HTML.
 */
export const SearchSegmentSchema = z.object({ text: z.string(), hit: z.boolean() });
export type SearchSegment = z.infer<typeof SearchSegmentSchema>;

export const SearchResultSchema = z.object({
  entityType: z.string(),
  entityId: z.string(),
  officeId: IdSchema.nullable(),
  /** Plain title. */
  title: z.string(),
  /** The title with the matched words marked. */
  titleHighlight: z.array(SearchSegmentSchema),
  /** An extract of the body around the matched words, marked. */
  snippet: z.array(SearchSegmentSchema),
  /** Where the record is in the web app, e.g. `/offices/<id>`. */
  link: z.string(),
  /**
   * Relevance tier: 2 when every word is in the title, 1 when the words are found in the title and text
   * together. Results come by tier, then most recently changed first.
   */
  rank: z.number(),
  updatedAt: TimestampSchema,
});
export type SearchResult = z.infer<typeof SearchResultSchema>;

export const SearchQuerySchema = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(SEARCH_QUERY_MAX, { message: `must be at most ${SEARCH_QUERY_MAX} characters` }),
  type: SearchEntityTypeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).default(20),
  cursor: z.string().max(512).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

export const SearchPageSchema = z.object({ items: z.array(SearchResultSchema), nextCursor: z.string().nullable() });
export type SearchPage = z.infer<typeof SearchPageSchema>;
