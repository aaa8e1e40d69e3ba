/**
 * Amazon Bedrock model customization scenarios. AWS publishes no real job body, so these are
 * assembled from the GetModelCustomizationJob schema with ARNs shaped like the real ones; the only
 * progress signal is `statusDetails` (validation → data processing → training), the only loss the
 * final `trainingMetrics`/`validationMetrics`.
 */
import { isoMillis } from '../times.js';
import type { NamedScenario, Stage } from '../types.js';

const ARN_PREFIX =
  'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k';
const START = Date.parse('2024-05-01T10:00:00.123Z') / 1000;

type SubTaskStatus = 'NotStarted' | 'InProgress' | 'Completed' | 'Failed';

/** One `statusDetails` entry; a task not yet started carries no times. */
function subTask(status: SubTaskStatus, from?: number, to?: number): Record<string, unknown> {
  if (status === 'NotStarted' || from === undefined) return { status };
  return { status, creationTime: isoMillis(START + from), lastModifiedTime: isoMillis(START + (to ?? from)) };
}

function details(
  validation: Record<string, unknown>,
  dataProcessing: Record<string, unknown>,
  training: Record<string, unknown>,
): Record<string, unknown> {
  return {
    statusDetails: {
      validationDetails: validation,
      dataProcessingDetails: dataProcessing,
      trainingDetails: training,
    },
  };
}

const VALIDATED = 312.4;
const PROCESSED = 905.9;

/** InProgress (validation → data processing → training) → Completed with the output model and losses. */
export function bedrockCompleted(): NamedScenario {
  const validated = subTask('Completed', 0, VALIDATED);
  const processed = subTask('Completed', VALIDATED, PROCESSED);
  const training = (at: number): Stage => ({
    status: 'InProgress',
    at,
    job: details(validated, processed, subTask('InProgress', PROCESSED, at)),
  });
  const end = 9067.767;
  return {
    id: `${ARN_PREFIX}/p4k2xw9qz7mn`,
    provider: 'bedrock',
    job: { created_at: START, jobName: 'ftw-titan-20240501', outputModelName: 'ftw-titan-20240501-model' },
    stages: [
      {
        status: 'InProgress',
        at: 0,
        job: details(subTask('InProgress', 0), subTask('NotStarted'), subTask('NotStarted')),
      },
      {
        status: 'InProgress',
        at: VALIDATED,
        job: details(validated, subTask('InProgress', VALIDATED), subTask('NotStarted')),
      },
      training(PROCESSED),
      training(3600),
      training(6800),
      {
        status: 'Completed',
        at: end,
        job: {
          ...details(validated, processed, subTask('Completed', PROCESSED, end)),
          outputModelArn:
            'arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/ly16hhi765j4',
          trainingMetrics: { trainingLoss: 0.4312 },
          validationMetrics: [{ validationLoss: 0.5127 }],
        },
      },
    ],
  };
}

/** Fails validating its training data: `failureMessage` (the text is made up). */
export function bedrockFailed(): NamedScenario {
  const failedAt = 570;
  return {
    id: `${ARN_PREFIX}/t7hb3ncx0q2w`,
    provider: 'bedrock',
    job: { created_at: START + 86_400, jobName: 'ftw-titan-bad-data' },
    stages: [
      {
        status: 'InProgress',
        at: 0,
        job: details(subTask('InProgress', 0), subTask('NotStarted'), subTask('NotStarted')),
      },
      {
        status: 'Failed',
        at: failedAt,
        job: {
          ...details(subTask('Failed', 0, failedAt), subTask('NotStarted'), subTask('NotStarted')),
          failureMessage: 'Data validation failed: training data line 12 is not valid JSON.',
        },
      },
    ],
  };
}
