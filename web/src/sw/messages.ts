// What the page and the service worker say to each other (a MessageChannel per request).

export type ServiceWorkerRequest =
  /** Store the precached data files (MNIST) now, then answer with the status. */
  | { type: 'store-data' }
  | { type: 'status' };

export type ServiceWorkerReply =
  /** `stored` of `total` precached files are in this build's cache. */
  | { type: 'status'; version: string; stored: number; total: number }
  | { type: 'failed'; message: string };
