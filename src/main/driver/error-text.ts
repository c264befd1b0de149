// The message of something thrown, for the driver's warnings and failure messages.
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
