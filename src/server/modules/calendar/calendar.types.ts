/**
 * What a module contributes to a user's calendar feed. Tasks register one source; later modules
 * (maintenance, training, travel) register theirs through `services.calendar.registerSource`.
 */
export interface CalendarEvent {
  /** Stable across feed refreshes, unique across sources (prefix it with the source), e.g. `task-<id>`. */
  uid: string;
  summary: string;
  description?: string | null;
  start: Date;
  end?: Date | null;
  allDay?: boolean;
  /** RRULE value (without the `RRULE:` prefix) for recurring events; `start` is the first occurrence. */
  rrule?: string | null;
  categories?: string[];
  /** Path in the web app (made absolute with BASE_URL), e.g. `/tasks/<id>`. */
  path?: string | null;
  /** Last change, for calendars that track revisions. */
  updatedAt?: string | null;
}

export interface CalendarSource {
  name: string;
  /** The events of one user (their own records; the feed token stands for that user). */
  eventsFor(userId: string, now: Date): Promise<CalendarEvent[]>;
}
