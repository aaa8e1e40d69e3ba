import { providerMessage } from './error-body.js';

/** google.rpc.Code by number, for gateways that send the number alone (grpc-gateway's error bodies). */
const RPC_CODES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/**
 * The human part of a Google-style error body: `{"error": {"code", "message", "status"}}` (Google
 * APIs) or grpc-gateway's `{"code": 7, "message": "", "details": []}` (Fireworks), whose message
 * can be empty: then the code's name says what happened.
 */
export function googleErrorDetail(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return providerMessage(text);
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const inner = (typeof record.error === 'object' && record.error !== null ? record.error : record) as Record<
    string,
    unknown
  >;
  const message = typeof inner.message === 'string' ? inner.message.trim() : '';
  const status =
    typeof inner.status === 'string'
      ? inner.status
      : typeof inner.code === 'number'
        ? (RPC_CODES[inner.code] ?? '')
        : typeof inner.code === 'string'
          ? inner.code
          : '';
  const detail = [status, message].filter(Boolean).join(': ');
  return detail === '' ? providerMessage(text) : providerMessage(JSON.stringify({ message: detail }));
}
