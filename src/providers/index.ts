import type { ProviderName } from '../constants.js';
import { nebius, openai } from './openai-compatible.js';
import type { Platform } from './provider.js';
import { together } from './together/together.js';

export type { Platform, Provider, ReadOptions, SeenEvents } from './provider.js';

/** Every platform, by the name the `provider` input takes. */
export const PLATFORMS: Readonly<Record<ProviderName, Platform>> = { together, nebius, openai };

export function platformOf(name: ProviderName): Platform {
  return PLATFORMS[name];
}
