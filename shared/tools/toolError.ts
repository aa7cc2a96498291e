// A failure a tool names itself, where no Graph or Entra code says what happened and what to do: its code and hint reach the result as they are.

export type ToolErrorCode =
  /** The event has no Teams meeting (none at all, or one Graph cannot find by its join link). */
  | 'no_online_meeting'
  /** The meeting has no transcript: none was made, it is still being processed, or it went when the meeting expired. */
  | 'no_transcript'
  /** The tenant turned Graph's access to meeting transcripts off. */
  | 'transcripts_disabled';

export class ToolError extends Error {
  override readonly name = 'ToolError';
  readonly code: ToolErrorCode;
  /** What the user or agent can do next. */
  readonly hint: string;

  constructor(code: ToolErrorCode, message: string, hint: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.hint = hint;
  }
}
