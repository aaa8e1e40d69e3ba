/*
 * What a failed connection says about the network. Most failures pass (a reset, a timeout, a
 * refused connection during a restart); some cannot mend by retrying while the configuration
 * stays as it is: a host name that does not resolve, a certificate no trusted authority signed.
 */

/** getaddrinfo's "no such host"; EAI_AGAIN (no answer from DNS) may pass and is not here. */
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_NONAME']);
/** OpenSSL's verdicts on a certificate chain, and Node's own for a name mismatch. */
const UNTRUSTED_CERTIFICATE =
  /^(UNABLE_TO_|CERT_|CRL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED|HOSTNAME_MISMATCH|ERR_TLS_CERT_ALTNAME_INVALID|ERROR_IN_CERT)/;

export type NetworkFailure =
  | { kind: 'unresolved'; code: string }
  | { kind: 'certificate'; code: string }
  /** TLS failed before any certificate was judged: often http:// and https:// swapped. */
  | { kind: 'tls'; code: string }
  | { kind: 'refused'; code: string }
  | { kind: 'invalid-header'; code: string }
  | { kind: 'other'; code: string | null };

/** The code of an error or of the error it wraps (undici puts the socket's error in `cause`). */
function errorCode(error: unknown): string | null {
  for (let current = error, hops = 0; current && hops < 4; hops++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR_CONNECT') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

export function classifyNetworkError(error: unknown): NetworkFailure {
  const code = errorCode(error);
  if (code === null) return { kind: 'other', code };
  if (UNRESOLVED.has(code)) return { kind: 'unresolved', code };
  if (UNTRUSTED_CERTIFICATE.test(code)) return { kind: 'certificate', code };
  if (code.startsWith('ERR_SSL_')) return { kind: 'tls', code };
  if (code === 'ECONNREFUSED') return { kind: 'refused', code };
  if (code === 'UND_ERR_INVALID_ARG') return { kind: 'invalid-header', code };
  return { kind: 'other', code };
}
