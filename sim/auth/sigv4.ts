/**
 * AWS Signature Version 4 checks as the AWS front end makes them before Bedrock sees a request:
 * the request is signed again with the known secret (@smithy/signature-v4, as the AWS SDK signs)
 * over the raw, still-encoded path and only the headers the client listed, and the signatures must
 * match. Errors carry the AWS error names and texts clients meet in practice.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsError } from '../error-bodies.js';
import type { Reply } from '../types.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** AWS's own documentation example key pair: recognisably fake, and ignored by secret scanners. */
export const SIM_AWS_CREDENTIALS: Readonly<AwsCredentials> = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

export interface SigV4Expectation {
  credentials: AwsCredentials;
  region: string;
  service: string;
}

export interface SignedRequest {
  method: string;
  /** `req.url` as received: path and query still percent-encoded. */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/;
/** How far a signing time may be from the server's clock, as AWS allows. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const refuse = (type: string, message: string): Reply => awsError(403, type, message);

/** undefined when the request is signed with the expected credentials; else AWS's 403. */
export async function verifySigV4(
  request: SignedRequest,
  expected: SigV4Expectation,
  now = Date.now(),
): Promise<Reply | undefined> {
  const header = single(request.headers.authorization);
  if (header === undefined)
    return refuse('MissingAuthenticationTokenException', 'Missing Authentication Token');
  // Bedrock API keys (`Authorization: Bearer …`) exist, but the simulator issues none.
  if (/^Bearer\s/i.test(header)) return refuse('UnrecognizedClientException', INVALID_TOKEN);
  const parts = AUTHORIZATION.exec(header);
  if (!parts) {
    return refuse(
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
    );
  }
  const [, accessKeyId, scopeDate, region, service, signedHeaderList = '', signature] = parts;
  const { credentials } = expected;
  if (accessKeyId !== credentials.accessKeyId) return refuse('UnrecognizedClientException', INVALID_TOKEN);
  const sessionToken = single(request.headers['x-amz-security-token']);
  if (sessionToken !== credentials.sessionToken) return refuse('UnrecognizedClientException', INVALID_TOKEN);

  const amzDate = single(request.headers['x-amz-date']) ?? '';
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) {
    return refuse(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const scopeProblem = checkScope(amzDate, signingDate, now, { scopeDate, region, service }, expected);
  if (scopeProblem) return refuse('InvalidSignatureException', scopeProblem);
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) {
    return refuse(
      'InvalidSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }

  const resigned = await signAgain(request, signedHeaders, signingDate, expected, sessionToken);
  return resigned === signature ? undefined : refuse('InvalidSignatureException', SIGNATURE_MISMATCH);
}

/** Scope and clock checks; the message AWS gives when one fails, else undefined. */
function checkScope(
  amzDate: string,
  signingDate: Date,
  now: number,
  scope: { scopeDate?: string; region?: string; service?: string },
  expected: SigV4Expectation,
): string | undefined {
  if (scope.scopeDate !== amzDate.slice(0, 8)) {
    return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`;
  }
  if (scope.service !== expected.service) {
    return `Credential should be scoped to correct service: '${expected.service}'.`;
  }
  if (scope.region !== expected.region) return `Credential should be scoped to a valid region.`;
  const fmt = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
  if (signingDate.getTime() < now - MAX_SKEW_MS) {
    return `Signature expired: ${amzDate} is now earlier than ${fmt(now - MAX_SKEW_MS)} (${fmt(now)} - 15 min.)`;
  }
  if (signingDate.getTime() > now + MAX_SKEW_MS) {
    return `Signature not yet current: ${amzDate} is still later than ${fmt(now + MAX_SKEW_MS)} (${fmt(now)} + 15 min.)`;
  }
  return undefined;
}

/** The signature the request should carry, computed from what was actually received. */
async function signAgain(
  request: SignedRequest,
  signedHeaders: readonly string[],
  signingDate: Date,
  expected: SigV4Expectation,
  sessionToken: string | undefined,
): Promise<string | undefined> {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return undefined; // a header was signed but not sent
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // The service hashes the body it received; a signed hash of another body must not pass.
  if ('x-amz-content-sha256' in headers) {
    headers['x-amz-content-sha256'] = createHash('sha256').update(request.body).digest('hex');
  }
  const [path = '/', rawQuery = ''] = request.rawUrl.split('?', 2);
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signer = new SignatureV4({
    service: expected.service,
    region: expected.region,
    credentials: { ...expected.credentials, sessionToken },
    sha256: Sha256,
    // Sign exactly the headers the client listed: add no checksum header of our own.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      path,
      query,
      headers,
      body: request.body.length > 0 ? request.body : undefined,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  return /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1];
}

function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The IAM action a Bedrock route needs. */
export function bedrockActionOf(route: string): string | undefined {
  if (route === 'job') return 'bedrock:GetModelCustomizationJob';
  if (route === 'cancel') return 'bedrock:StopModelCustomizationJob';
  return undefined;
}

/** IAM's refusal, naming the caller's role, the action and the job. */
export function bedrockAccessDenied(action: string, resourceArn: string): Reply {
  return awsError(
    403,
    'AccessDeniedException',
    `User: arn:aws:sts::123456789012:assumed-role/github-actions/ci is not authorized to perform: ${action} on resource: ${resourceArn} because no identity-based policy allows the ${action} action`,
  );
}
