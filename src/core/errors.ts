/** Expected failures are values with stable codes; anything else is a bug that gets logged, not shown. */

export type ErrorCode =
  | 'UNKNOWN_COMMAND'
  | 'BAD_ARGUMENT'
  | 'MISSING_ARGUMENT'
  | 'TOO_MANY_ARGUMENTS'
  | 'INPUT_TOO_LONG'
  | 'CONTROL_CHARACTERS'
  | 'FORBIDDEN'
  | 'NO_DRILL'
  | 'NOTHING_OPEN'
  | 'ALREADY_ANSWERED'
  | 'CLOSED'
  | 'NOT_FOUND'
  | 'UNKNOWN_ACTION'
  | 'TRACK_FINISHED'
  | 'TOO_LARGE'
  | 'INVALID_STATE';

export class UserFacingError extends Error {
  readonly code: ErrorCode;
  /** Usage of the nearest command, shown under the one-line reason. */
  readonly usage: string | undefined;
  /** The option the error is about, when one is: a form shows the message on that field. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, usage?: string, field?: string) {
    super(message);
    this.name = 'UserFacingError';
    this.code = code;
    this.usage = usage;
    this.field = field;
  }
}
