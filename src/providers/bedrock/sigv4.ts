/**
 * SigV4 for Bedrock with the AWS SDK's own pieces: its default credential chain (environment as
 * configure-aws-credentials sets it, AWS_SESSION_TOKEN, web identity, shared profiles, container
 * and instance roles; refreshed before they expire) and its signer. Loaded only for bedrock.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { SignatureV4 } from '@smithy/signature-v4';
import { AuthError, ConfigError } from '../../errors.js';
import type { AuthStrategy, OutgoingRequest } from '../../http/auth.js';

type Identity = Awaited<ReturnType<ReturnType<typeof defaultProvider>>>;

export async function sigv4Auth(region: string): Promise<AuthStrategy> {
  // STS (web identity, roles in profiles) in the job's own region: without one the SDK falls back
  // to us-east-1 and says so on stderr.
  const chain = defaultProvider({ clientConfig: { region } });
  let current: Identity | undefined;
  // What the SDK's errors quote must not carry the session's secrets out (as the client scrubs answers).
  const scrub = (text: string): string => {
    let out = text;
    for (const secret of [current?.secretAccessKey, current?.sessionToken])
      if (secret && secret.length >= 4) out = out.replaceAll(secret, '***');
    return out;
  };
  try {
    current = await chain();
  } catch (error) {
    const refused = refusal(error);
    if (refused) throw new ConfigError(refusedMessage(refused, 'issue', process.env));
    // STS (or a container's credentials endpoint) did not answer, or answered 5xx or throttled,
    // past the SDK's own attempts: the credentials exist. The first request asks again, and a
    // failure there is retried like any outage (the signer's credentials below).
    if (!isOutage(error))
      throw new ConfigError(
        `No AWS credentials for bedrock: run aws-actions/configure-aws-credentials before this step (with \`role-to-assume\`, and \`permissions: id-token: write\` for OIDC), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. The AWS SDK found none: ${error instanceof Error ? error.message : String(error)}`,
      );
  }
  const signer = new SignatureV4({
    service: 'bedrock',
    region,
    sha256: Sha256,
    // The chain is memoised and fetches new credentials as the old ones near their expiry.
    credentials: async () => {
      try {
        return (current = await chain());
      } catch (error) {
        // An outage of STS (no answer, 5xx, throttling) is retried like any fault (the client
        // wraps it); a refusal to renew (an expired or rejected web identity token, a role that
        // no longer trusts it) will refuse again until timeout-minutes.
        const refused = refusal(error);
        if (refused === null) throw error;
        throw new AuthError(
          scrub(refusedMessage(refused, current ? 'renew' : 'issue', process.env)),
          refused.status,
          scrub(`credentials request: HTTP ${refused.status} ${refused.name}: ${refused.message}`),
        );
      }
    },
  });
  return {
    async headers(request: OutgoingRequest) {
      const { url } = request;
      const signed = await signer.sign({
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        // The path as it goes on the wire (an ARN is one encoded segment); the signer encodes it again.
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { ...request.headers, host: url.host },
        body: request.body,
      });
      // undici sends the same Host from the URL.
      const { host: _host, ...headers } = signed.headers;
      return headers;
    },
    secrets: () =>
      [current?.secretAccessKey ?? '', current?.sessionToken ?? ''].filter((value) => value !== ''),
  };
}

/** A failure to reach what issues credentials: no answer, 408, 429, 5xx, throttling. */
function isOutage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 408 || status === 429)) return true;
  const classified = error as Parameters<typeof isTransientError>[0];
  return isThrottlingError(classified) || isTransientError(classified);
}

interface Refusal {
  status: number;
  name: string;
  message: string;
}

/**
 * How AWS (STS, SSO, a container's credentials endpoint) refused to issue credentials; null for
 * failures worth retrying: no answer, 408, 429, 5xx, and what the SDK itself deems transient or
 * throttling (STS throttles with HTTP 400 `Throttling`; `IDPCommunicationError` is retryable).
 * The SDK's service errors carry the status in `$metadata.httpStatusCode`.
 */
function refusal(error: unknown): Refusal | null {
  if (typeof error !== 'object' || error === null) return null;
  const { $metadata, name, message } = error as {
    $metadata?: { httpStatusCode?: unknown };
    name?: unknown;
    message?: unknown;
  };
  const status = $metadata?.httpStatusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500 || status === 408 || status === 429)
    return null;
  const classified = error as Parameters<typeof isTransientError>[0];
  if (isThrottlingError(classified) || isTransientError(classified)) return null;
  return {
    status,
    name: typeof name === 'string' && name !== '' ? name : 'Error',
    message: typeof message === 'string' ? message : '',
  };
}

/** One message naming what refused, what it means for the configuration in use, and what to do. */
function refusedMessage(refused: Refusal, when: 'issue' | 'renew', env: NodeJS.ProcessEnv): string {
  const answer = `HTTP ${refused.status} ${refused.name}${refused.message ? `: ${refused.message}` : ''}`;
  const tokenFile = env.AWS_WEB_IDENTITY_TOKEN_FILE;
  const roleArn = env.AWS_ROLE_ARN;
  const webIdentity = Boolean(tokenFile && roleArn && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE);
  const what =
    when === 'issue' ? 'refused credentials for bedrock' : 'refused to renew the credentials for bedrock';
  if (webIdentity) {
    return `AWS STS ${what} (${answer}): the web identity token in AWS_WEB_IDENTITY_TOKEN_FILE (${tokenFile}) expired or was refused for AWS_ROLE_ARN (${roleArn}). Run aws-actions/configure-aws-credentials in this job before this step (with \`role-to-assume\`, and \`permissions: id-token: write\` for OIDC) and a \`role-duration-seconds\` long enough for the wait, or keep the token file fresh; a token written to a file once cannot renew a role session after it expires.`;
  }
  return `AWS ${what} (${answer}): the credentials the AWS SDK found (a profile's role, SSO, a container or instance role) ${when === 'issue' ? 'were not accepted' : 'can no longer be renewed'}. Run aws-actions/configure-aws-credentials in this job before this step (with \`role-to-assume\`, and \`permissions: id-token: write\` for OIDC) and a \`role-duration-seconds\` long enough for the wait, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`;
}
