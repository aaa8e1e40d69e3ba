const MAX_DETAIL = 300;

/**
 * The human part of an error body: OpenAI/Together `{error: {message}}`, FastAPI
 * `{detail: "…" | [{msg}]}`, a bare `{message}`, or the start of whatever text came back.
 */
export function providerMessage(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  let message: unknown;
  try {
    message = pickMessage(JSON.parse(trimmed));
  } catch {
    message = undefined;
  }
  const chosen = typeof message === 'string' && message.trim() !== '' ? message : withoutMarkup(trimmed);
  const oneLine = chosen.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL ? `${oneLine.slice(0, MAX_DETAIL)}…` : oneLine;
}

function pickMessage(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) return (error as Record<string, unknown>).message;
  const detail = record.detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item) =>
        typeof item === 'object' && item !== null ? (item as Record<string, unknown>).msg : item,
      )
      .filter((item) => typeof item === 'string')
      .join('; ');
  }
  return record.message;
}

/** Gateways answer 502s with HTML pages; their text is what a person would read. */
function withoutMarkup(text: string): string {
  return text.startsWith('<')
    ? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ')
    : text;
}
