/**
 * Credentials that lead Google's client libraries to the fake Vertex provider: an
 * `external_account` file as google-github-actions/auth writes for workload identity federation,
 * with `token_url` at the fake's `/token` and the subject token (GitHub's OIDC token in a real run)
 * read from a file. Point GOOGLE_APPLICATION_CREDENTIALS at it and set GOOGLE_CLOUD_PROJECT (without
 * a project, google-auth-library asks Cloud Resource Manager for one).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_SUBJECT_TOKEN } from './auth/google-oauth.js';
import type { FakeProvider } from './server.js';

/** The workload identity pool provider audience google-github-actions/auth would write. */
export const SIM_WIF_AUDIENCE =
  '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/github/providers/github';

/**
 * Writes `<dir>/vertex-subject-token.jwt` and `<dir>/vertex-credentials.json`; returns the latter's
 * path. `subjectToken` defaults to the one a fake accepts unless started with `vertexSubjectToken`.
 */
export function writeVertexCredentials(
  dir: string,
  sim: FakeProvider,
  subjectToken: string = SIM_SUBJECT_TOKEN,
): string {
  if (sim.provider !== 'vertex')
    throw new Error(`writeVertexCredentials needs a vertex fake, not ${sim.provider}`);
  const subjectTokenFile = join(dir, 'vertex-subject-token.jwt');
  writeFileSync(subjectTokenFile, subjectToken);
  const credentials = {
    type: 'external_account',
    audience: SIM_WIF_AUDIENCE,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${sim.origin}/token`,
    credential_source: { file: subjectTokenFile },
  };
  const path = join(dir, 'vertex-credentials.json');
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`);
  return path;
}
