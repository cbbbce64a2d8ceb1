// What the page and the service worker say to each other (a MessageChannel per request).

export type ServiceWorkerRequest =
  /** Store the precached data files (MNIST) now, then answer with the status. */
  | { type: 'store-data' }
  | { type: 'status' };

export type ServiceWorkerReply =
  /** `stored` of `total` files of the offline copy (app and MNIST) are stored; `storedData` lists
   *  every data file in the cache (MNIST's and those stored on first use), relative to the app. */
  | { type: 'status'; stored: number; total: number; storedData: string[] }
  | { type: 'failed'; message: string };
