/**
 * A loopback AWS Security Token Service that answers AssumeRoleWithWebIdentity as STS does, for
 * the AWS SDK's web identity credentials (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN), reached
 * through AWS_ENDPOINT_URL_STS. The awsQuery protocol: a form-encoded POST to `/`
 * (`Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=…&RoleSessionName=…&WebIdentityToken=…`),
 * answered with `text/xml`: `<AssumeRoleWithWebIdentityResponse>` with the credentials, or
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` with the
 * error's HTTP status (400 for ExpiredTokenException, InvalidIdentityToken, ValidationError;
 * 403 for AccessDenied and IDPRejectedClaim; 503 ServiceUnavailable). The call is not signed.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsCredentials } from '../../sim/auth/sigv4.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';
const ACTION = 'AssumeRoleWithWebIdentity';

/** One request as the fake received and answered it. */
export interface StsCall {
  /** Date.now() when it arrived. */
  at: number;
  method: string;
  path: string;
  contentType: string;
  /** The form fields, as sent. */
  action: string;
  version: string;
  roleArn: string;
  roleSessionName: string;
  webIdentityToken: string;
  durationSeconds: string | undefined;
  /** The HTTP status answered; 0 for a dropped connection. */
  status: number;
  /** The error code answered (`ExpiredTokenException`, …, or `reset`); null for credentials. */
  code: string | null;
  /** Date.now() at which the credentials handed out expire; null for an error. */
  expiresAt: number | null;
}

/**
 * What to answer a well-formed call with instead of the default (credentials for the trusted token
 * and role): the credentials, valid for `lifetimeMs` (default: the fake's lifetime), or an error.
 */
export type StsAnswer = { kind: 'credentials'; lifetimeMs?: number } | StsError | StsReset;

/** No answer: the connection is dropped (recorded with status 0 and code `reset`). */
export interface StsReset {
  kind: 'reset';
}

/** An STS error: `type` Sender (the caller's fault) unless said otherwise. */
export interface StsError {
  kind: 'error';
  status: number;
  code: string;
  message: string;
  type?: 'Sender' | 'Receiver';
}

export interface FakeStsOptions {
  /** What AssumeRoleWithWebIdentity hands out (sessionToken included, as STS always does). */
  credentials: Required<AwsCredentials>;
  /** The only web identity token accepted; others are InvalidIdentityToken. */
  webIdentityToken: string;
  /** The only role that trusts the token; others are AccessDenied. */
  roleArn: string;
  /** How long handed-out credentials last. Default one hour, STS's default DurationSeconds. */
  lifetimeMs?: number;
  /** Consulted for each well-formed call (n: its index, from 0); undefined: the default answer. */
  answer?: (call: Readonly<StsCall>, n: number) => StsAnswer | undefined;
}

export interface FakeSts {
  /** `http://127.0.0.1:<port>`: the value for AWS_ENDPOINT_URL_STS. */
  readonly origin: string;
  readonly calls: StsCall[];
  close(): Promise<void>;
}

/** STS's messages for the errors a web identity meets (as AWS documents and users report them). */
export const STS_ERRORS = {
  expiredToken: (): StsError => ({
    kind: 'error',
    status: 400,
    code: 'ExpiredTokenException',
    message: 'Token expired: current date/time 1714557600 must be before the expiration date/time1714557300',
  }),
  invalidIdentityToken: (): StsError => ({
    kind: 'error',
    status: 400,
    code: 'InvalidIdentityToken',
    message:
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  }),
  accessDenied: (): StsError => ({
    kind: 'error',
    status: 403,
    code: 'AccessDenied',
    message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
  }),
  unavailable: (): StsError => ({
    kind: 'error',
    status: 503,
    code: 'ServiceUnavailable',
    message: 'Service is unable to handle request.',
    type: 'Receiver',
  }),
  throttling: (): StsError => ({
    kind: 'error',
    status: 400,
    code: 'Throttling',
    message: 'Rate exceeded',
  }),
  reset: (): StsReset => ({ kind: 'reset' }),
} as const;

const MAX_BODY_BYTES = 64 * 1024;

export async function startFakeSts(options: FakeStsOptions): Promise<FakeSts> {
  const calls: StsCall[] = [];
  const lifetimeMs = options.lifetimeMs ?? 3_600_000;

  const server = createServer((req, res) => {
    void readBody(req).then(
      (body) => answer(req, res, body),
      () => req.socket.destroy(),
    );
  });

  function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
    const form = new URLSearchParams(body);
    const call: StsCall = {
      at: Date.now(),
      method: req.method ?? '',
      path: req.url ?? '',
      contentType: req.headers['content-type'] ?? '',
      action: form.get('Action') ?? '',
      version: form.get('Version') ?? '',
      roleArn: form.get('RoleArn') ?? '',
      roleSessionName: form.get('RoleSessionName') ?? '',
      webIdentityToken: form.get('WebIdentityToken') ?? '',
      durationSeconds: form.get('DurationSeconds') ?? undefined,
      status: 0,
      code: null,
      expiresAt: null,
    };
    const n = calls.length;
    calls.push(call);
    const decided = refusal(call) ?? options.answer?.(call, n) ?? defaultAnswer(call);
    if (decided.kind === 'reset') {
      call.code = 'reset';
      req.socket.destroy();
      return;
    }
    if (decided.kind === 'error') {
      call.status = decided.status;
      call.code = decided.code;
      sendXml(res, decided.status, errorXml(decided));
      return;
    }
    const expiresAt = Date.now() + (decided.lifetimeMs ?? lifetimeMs);
    call.status = 200;
    call.expiresAt = expiresAt;
    sendXml(res, 200, credentialsXml(call, options.credentials, expiresAt));
  }

  /** What STS answers a malformed call with, whatever the test scripted. */
  function refusal(call: StsCall): StsAnswer | undefined {
    const error = (status: number, code: string, message: string): StsAnswer => ({
      kind: 'error',
      status,
      code,
      message,
    });
    if (call.method !== 'POST' || call.path !== '/')
      return error(400, 'InvalidAction', 'Only POST to / is served here');
    if (!call.contentType.startsWith('application/x-www-form-urlencoded'))
      return error(400, 'InvalidAction', `Unsupported content type ${call.contentType}`);
    if (call.action !== ACTION || call.version !== VERSION)
      return error(
        400,
        'InvalidAction',
        `Could not find operation ${call.action} for version ${call.version}`,
      );
    for (const [field, value] of [
      ['roleArn', call.roleArn],
      ['roleSessionName', call.roleSessionName],
      ['webIdentityToken', call.webIdentityToken],
    ] as const)
      if (value === '')
        return error(
          400,
          'ValidationError',
          `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
        );
    if (!/^[\w+=,.@-]{2,64}$/.test(call.roleSessionName))
      return error(
        400,
        'ValidationError',
        "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      );
    return undefined;
  }

  function defaultAnswer(call: StsCall): StsAnswer {
    if (call.webIdentityToken !== options.webIdentityToken) return STS_ERRORS.invalidIdentityToken();
    if (call.roleArn !== options.roleArn) return STS_ERRORS.accessDenied();
    return { kind: 'credentials' };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': String(body.length),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The role's name from its ARN (`arn:aws:iam::123456789012:role/path/name` → name). */
function roleName(roleArn: string): string {
  return roleArn.split('/').at(-1) ?? roleArn;
}

function accountOf(roleArn: string): string {
  return roleArn.split(':')[4] ?? '123456789012';
}

function credentialsXml(call: StsCall, credentials: Required<AwsCredentials>, expiresAt: number): string {
  const session = escapeXml(call.roleSessionName);
  const role = escapeXml(roleName(call.roleArn));
  return [
    `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NAMESPACE}">`,
    '  <AssumeRoleWithWebIdentityResult>',
    '    <Audience>sts.amazonaws.com</Audience>',
    '    <AssumedRoleUser>',
    `      <AssumedRoleId>AROA3XFRBF23EXAMPLE01:${session}</AssumedRoleId>`,
    `      <Arn>arn:aws:sts::${escapeXml(accountOf(call.roleArn))}:assumed-role/${role}/${session}</Arn>`,
    '    </AssumedRoleUser>',
    '    <Provider>arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com</Provider>',
    '    <Credentials>',
    `      <AccessKeyId>${escapeXml(credentials.accessKeyId)}</AccessKeyId>`,
    `      <SecretAccessKey>${escapeXml(credentials.secretAccessKey)}</SecretAccessKey>`,
    `      <SessionToken>${escapeXml(credentials.sessionToken)}</SessionToken>`,
    // STS writes whole seconds; milliseconds keep a lifetime of a second or two exact (and parse alike).
    `      <Expiration>${new Date(expiresAt).toISOString()}</Expiration>`,
    '    </Credentials>',
    '    <SubjectFromWebIdentityToken>repo:octo-org/fine-tune:ref:refs/heads/main</SubjectFromWebIdentityToken>',
    '  </AssumeRoleWithWebIdentityResult>',
    '  <ResponseMetadata>',
    `    <RequestId>${randomUUID()}</RequestId>`,
    '  </ResponseMetadata>',
    '</AssumeRoleWithWebIdentityResponse>',
    '',
  ].join('\n');
}

function errorXml(error: StsError): string {
  return [
    `<ErrorResponse xmlns="${STS_NAMESPACE}">`,
    '  <Error>',
    `    <Type>${error.type ?? 'Sender'}</Type>`,
    `    <Code>${escapeXml(error.code)}</Code>`,
    `    <Message>${escapeXml(error.message)}</Message>`,
    '  </Error>',
    `  <RequestId>${randomUUID()}</RequestId>`,
    '</ErrorResponse>',
    '',
  ].join('\n');
}
