// See temp-dir.js: removes the run's temporary directory.
export { teardown as default } from "./temp-dir.js";
