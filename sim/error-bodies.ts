/** Error bodies in each provider's own shape, so the action's error handling meets the real thing. */
import type { ProviderName, Reply } from './types.js';

/**
 * Azure's 401 for a missing or wrong `api-key` (as recorded in Azure SDK tests and user logs);
 * `code` is the string "401".
 */
const AZURE_ACCESS_DENIED =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

/** Google's 401 for a missing, unknown or expired OAuth token. */
const GOOGLE_UNAUTHENTICATED =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.';

/** Azure's `{error: {code, message}}` (Microsoft REST guidelines ErrorResponse). */
export function azureError(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

/**
 * The grpc-gateway body Fireworks answers errors with: `code` is the google.rpc code number
 * (5 NOT_FOUND, 9 FAILED_PRECONDITION, 16 UNAUTHENTICATED), not the HTTP status.
 */
export function grpcGatewayError(status: number, code: number, message: string): Reply {
  return { status, body: { code, message, details: [] } };
}

/** Google's JSON error: `code` is the HTTP status, `status` the google.rpc code name. */
export function googleError(code: number, status: string, message: string): Reply {
  return { status: code, body: { error: { code, message, status } } };
}

/** AWS rest-json: the error's name in `x-amzn-errortype`, and a body with only `message`. */
export function awsError(status: number, errorType: string, message: string): Reply {
  return { status, headers: { 'x-amzn-errortype': errorType }, body: { message } };
}

/** Azure's answer when the route does not exist, e.g. a dated API path without `api-version`. */
export function azureResourceNotFound(): Reply {
  return azureError(404, '404', 'Resource not found');
}

export function googleUnauthenticated(): Reply {
  return googleError(401, 'UNAUTHENTICATED', GOOGLE_UNAUTHENTICATED);
}

/**
 * A missing or wrong key or token: 401, except Bedrock's 403 for an unsigned request. The wrong
 * key is echoed back on purpose where OpenAI does so: the action must scrub it from everything it
 * prints.
 */
export function unauthorized(provider: ProviderName, sentKey: string | undefined): Reply {
  switch (provider) {
    case 'nebius':
      return { status: 401, body: { detail: 'Invalid API key' } };
    case 'azure-openai':
      return azureError(401, '401', AZURE_ACCESS_DENIED);
    case 'fireworks':
      return grpcGatewayError(401, 16, 'unauthenticated: invalid API key');
    case 'vertex':
      return googleUnauthenticated();
    case 'bedrock':
      return awsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    default: {
      const message =
        sentKey === undefined
          ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
          : `Incorrect API key provided: ${sentKey}`;
      return {
        status: 401,
        body: {
          error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
        },
      };
    }
  }
}

export function jobNotFound(provider: ProviderName, jobId: string): Reply {
  switch (provider) {
    case 'together':
      return {
        status: 404,
        body: {
          error: {
            message: 'Fine-tune job not found',
            type: 'invalid_request_error',
            code: 'not_found',
          },
        },
      };
    case 'openai':
      return {
        status: 404,
        body: {
          error: {
            message: `No such fine-tuning job: '${jobId}'.`,
            type: 'invalid_request_error',
            param: 'fine_tuning_job_id',
            code: null,
          },
        },
      };
    case 'nebius':
      return { status: 404, body: { detail: 'Not Found' } };
    case 'azure-openai':
      return azureError(404, 'NotFound', `The specified fine-tuning job '${jobId}' was not found.`);
    case 'fireworks':
      return grpcGatewayError(404, 5, 'supervised fine-tuning job not found');
    case 'bedrock':
      return awsError(
        404,
        'ResourceNotFoundException',
        `Could not find model customization job with identifier ${jobId}.`,
      );
    case 'vertex':
      return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
  }
}

/**
 * Cancelling a job that has already ended. Only Bedrock's error name (ValidationException) is
 * documented; the Azure, Fireworks and Vertex texts are plausible stand-ins in each one's shape.
 */
export function alreadyFinished(provider: ProviderName, status: string, jobId = ''): Reply {
  switch (provider) {
    case 'nebius':
      return { status: 400, body: { detail: `Job is already in terminal state: ${status}` } };
    case 'azure-openai':
      return azureError(
        400,
        'BadRequest',
        `Fine-tuning job '${jobId}' is in terminal state '${status}' and cannot be cancelled.`,
      );
    case 'fireworks':
      return grpcGatewayError(400, 9, `job is already in a terminal state: ${status}`);
    case 'bedrock':
      return awsError(
        400,
        'ValidationException',
        `Cannot stop a model customization job in ${status} status.`,
      );
    case 'vertex':
      return googleError(
        400,
        'FAILED_PRECONDITION',
        `Cannot cancel TuningJob ${jobId} because it is in state ${status}.`,
      );
    default:
      return {
        status: 400,
        body: {
          error: {
            message: `Job has already completed with status ${status} and cannot be cancelled.`,
            type: 'invalid_request_error',
            param: null,
            code: null,
          },
        },
      };
  }
}

export function unknownRoute(): Reply {
  return { status: 404, body: { error: { message: 'Unknown route' } } };
}
