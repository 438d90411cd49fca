// The export formats the importer reads, by platform.
export type Platform = 'postscript' | 'klaviyo' | 'shopify';
export const PLATFORMS: readonly Platform[] = ['postscript', 'klaviyo', 'shopify'];
