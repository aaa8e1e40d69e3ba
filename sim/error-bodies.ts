/** Error bodies in each provider's own shape, so the action's error handling meets the real thing. */
import type { ProviderName, Reply } from './types.js';

/**
 * 401. The wrong key is echoed back on purpose: real APIs do much the same, and the action must
 * scrub it from everything it prints.
 */
export function unauthorized(provider: ProviderName, sentKey: string | undefined): Reply {
  if (provider === 'nebius') return { status: 401, body: { detail: 'Invalid API key' } };
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
  }
}

/** Cancelling a job that has already ended. */
export function alreadyFinished(provider: ProviderName, status: string): Reply {
  if (provider === 'nebius') {
    return { status: 400, body: { detail: `Job is already in terminal state: ${status}` } };
  }
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

export function unknownRoute(): Reply {
  return { status: 404, body: { error: { message: 'Unknown route' } } };
}
