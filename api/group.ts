/** The API group and version every polyfleet resource is served under. */
export const GROUP = 'polyfleet.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}` as const;
