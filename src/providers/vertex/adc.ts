/**
 * OAuth2 tokens from Google's Application Default Credentials, through google-auth-library: the
 * service-account key or the workload-identity (`external_account`) file google-github-actions/auth
 * writes to GOOGLE_APPLICATION_CREDENTIALS, gcloud's, or the metadata server's. The library caches
 * each token and fetches a new one before it expires, so a long wait keeps a valid one. Loaded
 * only for vertex.
 */
import { GoogleAuth } from 'google-auth-library';
import { ConfigError } from '../../errors.js';
import type { AuthStrategy } from '../../http/auth.js';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export async function adcAuth(project: string | null, env: NodeJS.ProcessEnv): Promise<AuthStrategy> {
  // The project is named (the job's), so the library does not look it up over the network.
  const auth = new GoogleAuth({ scopes: [SCOPE], ...(project ? { projectId: project } : {}) });
  let client: Awaited<ReturnType<GoogleAuth['getClient']>>;
  let token: string;
  try {
    client = await auth.getClient();
    token = (await client.getAccessToken()).token ?? '';
    if (token === '') throw new Error('no access token came back');
  } catch (error) {
    const file = env.GOOGLE_APPLICATION_CREDENTIALS;
    throw new ConfigError(
      `No usable Google credentials for vertex${file ? ` in GOOGLE_APPLICATION_CREDENTIALS (${file})` : ''}: run google-github-actions/auth before this step (workload identity federation, with \`permissions: id-token: write\`, or a service-account key); it sets GOOGLE_APPLICATION_CREDENTIALS. ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    async headers() {
      token = (await client.getAccessToken()).token ?? token;
      return { authorization: `Bearer ${token}` };
    },
    secrets: () => [token],
  };
}
