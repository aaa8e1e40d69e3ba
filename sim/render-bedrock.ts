/**
 * Amazon Bedrock `GetModelCustomizationJob` response (botocore bedrock/2023-04-20 service-2.json,
 * the model compiled into @aws-sdk/client-bedrock): ISO 8601 times, string hyperparameters, and
 * the loss only as one final `trainingMetrics.trainingLoss` and `validationMetrics[].validationLoss`.
 */
import type { SimJob } from './job-state.js';
import { resourceBody } from './resource-body.js';
import { isoMillis } from './times.js';

export interface BedrockArnParts {
  region: string;
  account: string;
  baseModel: string;
  suffix: string;
}

/** `arn:aws:bedrock:<region>:<account>:model-customization-job/<base model>/<12 alnum>` → its parts. */
export function bedrockArnParts(arn: string): BedrockArnParts | undefined {
  const match =
    /^arn:aws[a-z-]*:bedrock:([a-z0-9-]+):(\d{12}):model-customization-job\/(.+)\/([a-z0-9]+)$/.exec(arn);
  if (!match) return undefined;
  return {
    region: match[1] ?? '',
    account: match[2] ?? '',
    baseModel: match[3] ?? '',
    suffix: match[4] ?? '',
  };
}

const FALLBACK_PARTS: BedrockArnParts = {
  region: 'us-east-1',
  account: '123456789012',
  baseModel: 'amazon.titan-text-express-v1:0:8k',
  suffix: 'sim000000000',
};

/** The name the job was created with; Bedrock accepts it in place of the ARN. */
export function bedrockJobName(job: SimJob): string {
  if (typeof job.fields.jobName === 'string') return job.fields.jobName;
  return `ftw-${(bedrockArnParts(job.id) ?? FALLBACK_PARTS).suffix}`;
}

export function bedrockJob(job: SimJob): Record<string, unknown> {
  const { region, account, baseModel } = bedrockArnParts(job.id) ?? FALLBACK_PARTS;
  const jobName = bedrockJobName(job);
  const bucket = `s3://ftw-sim-${account}`;
  const defaults: Record<string, unknown> = {
    jobArn: job.id,
    jobName,
    outputModelName: `${jobName}-model`,
    clientRequestToken: `${jobName}-request`,
    roleArn: `arn:aws:iam::${account}:role/BedrockFinetuneRole`,
    status: job.status,
    creationTime: isoMillis(job.start),
    lastModifiedTime: isoMillis(job.start + job.updatedAt()),
    // "Time that the resource transitioned to terminal state".
    endTime: job.terminal ? isoMillis(job.start + job.updatedAt()) : undefined,
    baseModelArn: `arn:aws:bedrock:${region}::foundation-model/${baseModel}`,
    hyperParameters: {
      epochCount: '2',
      batchSize: '1',
      learningRate: '0.00001',
      learningRateWarmupSteps: '0',
    },
    trainingDataConfig: { s3Uri: `${bucket}/train.jsonl` },
    validationDataConfig: { validators: [{ s3Uri: `${bucket}/valid.jsonl` }] },
    outputDataConfig: { s3Uri: `${bucket}/output/` },
    customizationType: 'FINE_TUNING',
  };
  return resourceBody(job, defaults, { jobArn: job.id, status: job.status });
}
