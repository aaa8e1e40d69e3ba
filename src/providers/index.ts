import type { ProviderName } from '../constants.js';
import { azureOpenai } from './azure-openai.js';
import { bedrock } from './bedrock/platform.js';
import { fireworks } from './fireworks.js';
import { nebius, openai } from './openai-compatible.js';
import type { Platform } from './provider.js';
import { together } from './together/together.js';
import { vertex } from './vertex/platform.js';

export type { Platform, Provider, ReadOptions, SeenEvents } from './provider.js';

/** Every platform, by the name the `provider` input takes. */
export const PLATFORMS: Readonly<Record<ProviderName, Platform>> = {
  together,
  nebius,
  openai,
  'azure-openai': azureOpenai,
  fireworks,
  bedrock,
  vertex,
};

export function platformOf(name: ProviderName): Platform {
  return PLATFORMS[name];
}
