/**
 * SigV4 for Bedrock with the AWS SDK's own pieces: its default credential chain (environment as
 * configure-aws-credentials sets it, AWS_SESSION_TOKEN, web identity, shared profiles, container
 * and instance roles; refreshed before they expire) and its signer. Loaded only for bedrock.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { ConfigError } from '../../errors.js';
import type { AuthStrategy, OutgoingRequest } from '../../http/auth.js';

type Identity = Awaited<ReturnType<ReturnType<typeof defaultProvider>>>;

export async function sigv4Auth(region: string): Promise<AuthStrategy> {
  const chain = defaultProvider();
  let current: Identity;
  try {
    current = await chain();
  } catch (error) {
    throw new ConfigError(
      `No AWS credentials for bedrock: run aws-actions/configure-aws-credentials before this step (with \`role-to-assume\`, and \`permissions: id-token: write\` for OIDC), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. The AWS SDK found none: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const signer = new SignatureV4({
    service: 'bedrock',
    region,
    sha256: Sha256,
    // The chain is memoised and fetches new credentials as the old ones near their expiry.
    credentials: async () => (current = await chain()),
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
    secrets: () => [current.secretAccessKey, current.sessionToken ?? ''].filter((value) => value !== ''),
  };
}
