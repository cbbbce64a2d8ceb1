// playwright.config.mjs's globalSetup: dist/ served once for every browser test (support.mjs).
export { serveBuiltApp as default } from './support.mjs';
