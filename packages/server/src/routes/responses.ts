import { Type, type TSchema } from '@sinclair/typebox';

const ErrorRef = Type.Ref('Error');

/**
 * A route's `schema.response`: its successful answers plus the error envelope for 4xx and
 * 5xx. Fastify serializes every JSON answer through these (unknown fields are dropped; a
 * missing required field or a value outside its schema fails the request with a 500 instead
 * of leaving the server), and the OpenAPI document lists the same statuses.
 */
export function responses(success: Record<number, TSchema>): Record<string, TSchema> {
  return { ...success, '4xx': ErrorRef, '5xx': ErrorRef };
}

/** The `200` of a Server-Sent Events route: the stream is written by hand, never serialized. */
export const EventStreamSchema = Type.String({ description: 'text/event-stream' });
