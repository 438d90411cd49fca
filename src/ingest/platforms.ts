// The platforms the importer reads: one per export format in src/ingest/formats/ (registry.ts).
export type Platform = string;
export { PLATFORMS } from './registry.js';
