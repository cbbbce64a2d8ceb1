// The build scripts in scripts/ are plain .mjs (they must run before npm install); the unit
// tests import them untyped.
declare module '*.mjs';
