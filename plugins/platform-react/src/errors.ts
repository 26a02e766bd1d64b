/**
 * The backend's own message when it sent one (a ResponseError carries it as its `cause`), else
 * the error's message.
 */
export function backendMessage(error: Error): string {
  const cause = (error as { cause?: { message?: unknown } }).cause;
  return typeof cause?.message === 'string' && cause.message
    ? cause.message
    : error.message;
}
