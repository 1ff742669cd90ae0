/**
 * The fault suite: GitHub failing under reviews (github.cases.ts), races between pushes, deliveries and
 * slash-commands (races.cases.ts), and the decision store going away (store-down.cases.ts) — one shared world (the
 * local server, the fake GitHub, dynalite), every scenario started at once. Most of a scenario's time is Octokit's
 * spacing of writes (≥ 1 s apart, 3 s for comments) and GitHub's retry-after; running them side by side keeps the
 * suite as long as its slowest scenario.
 */
import { afterAll } from "@jest/globals";
import "./github.cases.js";
import "./races.cases.js";
import "./store-down.cases.js";
import { closeSharedWorld } from "./world.js";

afterAll(closeSharedWorld, 90_000);
