/**
 * What a request must pass before a handler sees it, per platform, in the order the real front
 * ends check: the route's preconditions (Azure's `api-version`), then who is calling, then whether
 * they may do what they ask.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { azureResourceNotFound } from '../error-bodies.js';
import type { AzureApi } from '../platforms.js';
import type { RouteMatch } from '../routes.js';
import type { ProviderName, Reply } from '../types.js';
import { checkAzureKey, checkBearerKey } from './api-keys.js';
import { type TokenIssuer, vertexPermissionDenied, vertexPermissionOf } from './google-oauth.js';
import { type SigV4Expectation, bedrockAccessDenied, bedrockActionOf, verifySigV4 } from './sigv4.js';

export interface GateRequest {
  method: string;
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  query: Record<string, string>;
  match: RouteMatch;
}

/** Resolves to the refusal to send, or undefined to let the request through. */
export type Gate = (request: GateRequest) => Promise<Reply | undefined>;

export interface GateOptions {
  provider: ProviderName;
  apiKey: string;
  azureApi: AzureApi;
  aws: SigV4Expectation & {
    /** An IAM action (e.g. 'bedrock:GetModelCustomizationJob', or 'bedrock:*') to refuse. */
    deny?: string;
    /** The job ARN an identifier (ARN or job name) stands for, as IAM names the resource. */
    arnOf: (identifier: string) => string;
  };
  /** Vertex only. */
  google?: {
    issuer: TokenIssuer;
    /** An IAM permission (e.g. 'aiplatform.tuningJobs.get') to refuse. */
    deny?: string;
  };
}

export function createGate(options: GateOptions): Gate {
  switch (options.provider) {
    case 'azure-openai':
      return async ({ headers, query }) => {
        // The dated API routes nothing without a version; v1 needs none.
        if (options.azureApi === 'dated' && !query['api-version']) return azureResourceNotFound();
        return checkAzureKey(headers, options.apiKey);
      };
    case 'bedrock':
      return async (request) => {
        const refused = await verifySigV4(request, options.aws);
        if (refused) return refused;
        const action = bedrockActionOf(request.match.route);
        if (!action || !matchesIamPattern(options.aws.deny, action)) return undefined;
        return bedrockAccessDenied(action, options.aws.arnOf(request.match.jobId ?? ''));
      };
    case 'vertex': {
      const { google } = options;
      if (!google) throw new Error('a vertex gate needs a token issuer');
      return async ({ headers, match }) => {
        const refused = google.issuer.check(headers.authorization);
        if (refused) return refused;
        const permission = vertexPermissionOf(match.route);
        if (!permission || !matchesIamPattern(google.deny, permission)) return undefined;
        return vertexPermissionDenied(permission, match.jobId ?? '');
      };
    }
    default:
      return async ({ headers }) => checkBearerKey(options.provider, headers, options.apiKey);
  }
}

/** `pattern` is an exact action or permission, or ends in `*` to cover a whole family of them. */
function matchesIamPattern(pattern: string | undefined, action: string): boolean {
  if (pattern === undefined) return false;
  return pattern.endsWith('*') ? action.startsWith(pattern.slice(0, -1)) : pattern === action;
}
