import type { ReasonPhrases } from './types.js';

/** The sender's IP or domain reputation is too low. */
export const badreputation: ReasonPhrases = {
  reason: 'badreputation',
  phrases: [
    'has been temporarily rate limited due to ip reputation',
    'ip/domain reputation problems',
    'low reputation',
    'poor reputation',
    'bad reputation',
    'sender reputation',
    'ip reputation',
    'domain reputation',
    'temporarily deferred due to unexpected volume or user complaints',
  ],
  weakPhrases: ['reputation'],
};
