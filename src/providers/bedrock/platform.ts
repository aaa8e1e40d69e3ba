/**
 * Amazon Bedrock model-customization jobs. A job is named by its ARN (or its name, with the
 * region from the environment); requests are signed with SigV4 from the AWS SDK's default
 * credential chain, found the way aws-actions/configure-aws-credentials leaves them.
 */
import { Input } from '../../constants.js';
import { ConfigError } from '../../errors.js';
import { headerOf } from '../../http/body.js';
import type { Headers } from '../../http/body.js';
import type { JobRef } from '../../model.js';
import type { Vocabulary } from '../../vocabulary.js';
import { providerMessage } from '../error-body.js';
import { withoutTrailingSlash } from '../key-platforms.js';
import type { Platform, Problem, SettingsContext } from '../provider.js';
import { BEDROCK_STATUSES, BedrockProvider } from './bedrock.js';

/** `arn:<partition>:bedrock:<region>:<account>:model-customization-job/<base model>/<id>`. */
const JOB_ARN = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]{1,20}):\d{12}:model-customization-job\/.+\/[a-z0-9]{12}$/;
/** A job name, as Bedrock allows them (1–63 characters). */
const JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.]){0,62}$/;

/** The IAM actions the action calls, for messages about refused credentials. */
export const BEDROCK_ACTIONS = ['bedrock:GetModelCustomizationJob', 'bedrock:StopModelCustomizationJob'];

/** The region a job's requests go to and are signed for: the ARN's, else the environment's. */
export function bedrockRegion(jobId: string, env: NodeJS.ProcessEnv): string | null {
  return JOB_ARN.exec(jobId)?.[1] ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || null);
}

function resolveBaseUrl(given: URL | null, { jobId, env, vocabulary }: SettingsContext): string | Problem {
  if (given !== null) {
    if (given.search)
      return { problem: `${vocabulary.subject(Input.BaseUrl)} must be an endpoint without a query.` };
    return withoutTrailingSlash(given.href);
  }
  // The AWS SDK's own overrides, as every AWS tool honours them.
  const override = env.AWS_ENDPOINT_URL_BEDROCK || env.AWS_ENDPOINT_URL;
  if (override) return withoutTrailingSlash(override);
  const region = bedrockRegion(jobId, env);
  if (region === null)
    return {
      problem: `No AWS region for bedrock: ${vocabulary.name(Input.JobId)} is a job name, not its ARN, and neither AWS_REGION nor AWS_DEFAULT_REGION is set. Give the job's ARN, or set \`aws-region\` on aws-actions/configure-aws-credentials.`,
    };
  return `https://bedrock.${region}.amazonaws.com`;
}

/**
 * Bedrock's errors: the name in `x-amzn-errortype` (up to its first `:`), the text in
 * `message` (or `Message`), as the AWS SDK reads them.
 */
export function bedrockErrorDetail(text: string, headers: Headers): string {
  const type = headerOf(headers, 'x-amzn-errortype')?.split(':')[0]?.trim() ?? '';
  const message = providerMessage(text);
  return [type, message].filter(Boolean).join(': ');
}

function credentialsRefused(where: string, ref: JobRef): string {
  // Keys from configure-aws-credentials last as long as the role session: a wait can outlive them.
  if (/ExpiredToken|security token included in the request is expired/i.test(where))
    return `AWS refused the request for job ${ref.jobId} (${where}): the role session these credentials belong to has ended. Set \`role-duration-seconds\` on aws-actions/configure-aws-credentials to cover \`timeout-minutes\` (up to the role's maximum session duration).`;
  const action = /not authorized to perform:?\s+(bedrock:[A-Za-z]+)/.exec(where)?.[1];
  const needs = action
    ? `the role lacks ${action}`
    : `the role needs ${BEDROCK_ACTIONS.join(' (and ')}${BEDROCK_ACTIONS.length > 1 ? ' to cancel)' : ''}`;
  return `AWS refused the request for job ${ref.jobId} (${where}): ${needs}. Check the credentials this step runs with (aws-actions/configure-aws-credentials, its \`role-to-assume\` and the role's policy).`;
}

export const bedrock: Platform = {
  name: 'bedrock',
  displayName: 'Amazon Bedrock',
  jobIdForm: 'its ARN, `arn:aws:bedrock:<region>:<account>:model-customization-job/…`, or its name',
  keyVariable: null,
  defaultBaseUrl: null,
  statuses: BEDROCK_STATUSES,
  checkJobId: (jobId) =>
    JOB_ARN.test(jobId) || (!jobId.startsWith('arn:') && JOB_NAME.test(jobId))
      ? null
      : `must be the job's ARN (\`arn:aws:bedrock:<region>:<account>:model-customization-job/<base model>/<id>\`) or its name, got ${JSON.stringify(jobId.slice(0, 120))}.`,
  resolveBaseUrl,
  auth: async (settings, env) => {
    const region = bedrockRegion(settings.jobId, env) ?? regionOfEndpoint(settings.baseUrl);
    if (region === null)
      throw new ConfigError(
        'No AWS region to sign bedrock requests for: set AWS_REGION (aws-actions/configure-aws-credentials sets it from `aws-region`).',
      );
    // The AWS SDK is loaded here, and only here: other platforms never parse it.
    const { sigv4Auth } = await import('./sigv4.js');
    return sigv4Auth(region);
  },
  credentialsRefused: (where: string, ref: JobRef, _vocabulary: Vocabulary) => credentialsRefused(where, ref),
  errorDetail: bedrockErrorDetail,
  dashboardUrl: (ref) => {
    const region = JOB_ARN.exec(ref.jobId)?.[1];
    return region && ref.baseUrl === `https://bedrock.${region}.amazonaws.com`
      ? `https://${region}.console.aws.amazon.com/bedrock/home?region=${region}#/custom-models/item?arn=${encodeURIComponent(ref.jobId)}`
      : null;
  },
  create: (ref, client) => new BedrockProvider(ref, client),
};

/** `https://bedrock.eu-west-1.amazonaws.com` → `eu-west-1`. */
function regionOfEndpoint(baseUrl: string): string | null {
  return /^https?:\/\/bedrock(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(baseUrl)?.[1] ?? null;
}
