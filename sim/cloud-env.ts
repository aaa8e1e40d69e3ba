/**
 * What a cloud's auth action would leave in the environment for a fake of Bedrock (AWS keys, as
 * aws-actions/configure-aws-credentials sets them) or Vertex (an external-account file written in
 * `dir`, as google-github-actions/auth writes it); nothing for the platforms that take a key.
 */
import { SIM_AWS_CREDENTIALS } from './auth/sigv4.js';
import type { FakeProvider } from './server.js';
import { writeVertexCredentials } from './vertex-credentials.js';

export function cloudEnv(sim: FakeProvider, dir: string): Record<string, string> {
  if (sim.provider === 'bedrock')
    return {
      AWS_ACCESS_KEY_ID: SIM_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SIM_AWS_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
  if (sim.provider === 'vertex')
    return {
      GOOGLE_APPLICATION_CREDENTIALS: writeVertexCredentials(dir, sim),
      GOOGLE_CLOUD_PROJECT: 'ftw-sim',
    };
  return {};
}
