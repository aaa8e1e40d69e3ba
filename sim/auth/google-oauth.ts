/**
 * A stand-in for Google's token endpoint (STS for workload identity federation, OAuth 2 for
 * service accounts) and the check Google APIs make on the access tokens it issued.
 * google-auth-library posts `external_account` exchanges to the credential file's `token_url`,
 * so a file pointing there (see vertex-credentials.ts) is all a client needs.
 */
import { googleError, googleUnauthenticated } from '../error-bodies.js';
import type { Reply } from '../types.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** The subject token (a GitHub OIDC token in real runs) the simulator accepts unless told otherwise. */
export const SIM_SUBJECT_TOKEN = 'sim-oidc-token';

export interface TokenRequestRecord {
  grantType: string;
  scope?: string;
  /** Date.now() when the request arrived. */
  time: number;
}

export interface TokenIssuerOptions {
  subjectToken: string;
  lifetimeSeconds: number;
}

const oauthError = (error: string, description: string): Reply => ({
  status: 400,
  body: { error, error_description: description },
});

export class TokenIssuer {
  readonly requests: TokenRequestRecord[] = [];
  /** Token → Date.now() after which it is refused. */
  private readonly expiries = new Map<string, number>();
  private readonly options: TokenIssuerOptions;

  constructor(options: TokenIssuerOptions) {
    this.options = options;
  }

  /** `POST /token` with a form-encoded body. */
  exchange(form: URLSearchParams): Reply {
    const grantType = form.get('grant_type') ?? '';
    const scope = form.get('scope');
    this.requests.push({ grantType, ...(scope === null ? {} : { scope }), time: Date.now() });
    if (grantType === TOKEN_EXCHANGE_GRANT) {
      if (form.get('subject_token') !== this.options.subjectToken) {
        return oauthError('invalid_grant', 'Unable to parse the ID Token.');
      }
      return this.issue();
    }
    if (grantType === JWT_BEARER_GRANT) {
      // A signed JWT from a service-account key; its signature is not checked, only its form.
      if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(form.get('assertion') ?? '')) {
        return oauthError('invalid_grant', 'Invalid JWT Signature.');
      }
      return this.issue();
    }
    return oauthError('unsupported_grant_type', `Unsupported grant_type: '${grantType}'.`);
  }

  /** undefined when `authorization` carries a live token issued here; else Google's 401. */
  check(authorization: string | undefined): Reply | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const expiry = token === undefined ? undefined : this.expiries.get(token);
    return expiry !== undefined && Date.now() < expiry ? undefined : googleUnauthenticated();
  }

  private issue(): Reply {
    const token = `ya29.sim-${this.expiries.size + 1}`;
    this.expiries.set(token, Date.now() + this.options.lifetimeSeconds * 1000);
    return {
      status: 200,
      body: {
        access_token: token,
        expires_in: this.options.lifetimeSeconds,
        token_type: 'Bearer',
        issued_token_type: ACCESS_TOKEN_TYPE,
      },
    };
  }
}

/** The IAM permission a Vertex route needs. */
export function vertexPermissionOf(route: string): string | undefined {
  if (route === 'job') return 'aiplatform.tuningJobs.get';
  if (route === 'cancel') return 'aiplatform.tuningJobs.cancel';
  return undefined;
}

export function vertexPermissionDenied(permission: string, jobName: string): Reply {
  return googleError(
    403,
    'PERMISSION_DENIED',
    `Permission '${permission}' denied on resource '//aiplatform.googleapis.com/${jobName}' (or it may not exist).`,
  );
}
