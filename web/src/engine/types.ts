// What the page and the worker know about the Emscripten module. Mirrors bindings/: when a
// binding is added there, declare it here (a unit test touches every member).

/** Returned by Module.buildInfo() (a value_object in bindings/). */
export interface BuildInfo {
  variant: string;
  simd: boolean;
  threads: number;
}

export interface ProfundoModule {
  buildInfo(): BuildInfo;
}

/** The subset of Emscripten's Module options we pass to the factory. */
export interface EmscriptenModuleOptions {
  locateFile?: (path: string, prefix: string) => string;
  /** The threads build hands this URL to its pthread workers so they load the same glue. */
  mainScriptUrlOrBlob?: string;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}

/** MODULARIZE=1 glue defines a global factory with this shape. */
export type ProfundoFactory = (options?: EmscriptenModuleOptions) => Promise<ProfundoModule>;
