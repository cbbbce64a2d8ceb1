// The Content-Security-Policy of the lab, in one place: the built index.html carries it as a
// <meta> tag (so dist/ on any static host is covered), scripts/serve-static.mjs also sends it as
// a header (workers get their policy from their own script's response, not from the page), and
// the Vite dev server sends the development variant.
//
// No 'unsafe-eval': the wasm glue is linked with -sDYNAMIC_EXECUTION=0 (Embind without
// new Function), so compiling WebAssembly ('wasm-unsafe-eval') is the only dynamic code.
// Every request stays on the page's origin ('self'): the engine worker, the pthread workers and
// the service worker are same-origin scripts; data and wasm are fetched from the same origin.

/** Directives shared by the build and the dev server. */
const BASE = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'connect-src': ["'self'"],
  // data: for the empty favicon (<link rel="icon" href="data:,">); canvases are drawn, not loaded.
  'img-src': ["'self'", 'data:'],
  'style-src': ["'self'"],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
};

function serialize(directives) {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** The policy of the built site (meta tag and static-server header). */
export const CONTENT_SECURITY_POLICY = serialize(BASE);

/** Header-only additions: a <meta> policy cannot say these (browsers ignore them there). */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'self'`;

/**
 * The dev server's policy: Vite injects CSS as <style> elements ('unsafe-inline' styles), and
 * serves the engine worker as an ES module, where the classic wasm glue is imported from a blob:
 * URL (see web/src/worker/load-engine.ts). Still no 'unsafe-eval'.
 */
export const DEV_CONTENT_SECURITY_POLICY = serialize({
  ...BASE,
  'script-src': [...BASE['script-src'], 'blob:'],
  'style-src': [...BASE['style-src'], "'unsafe-inline'"],
});
