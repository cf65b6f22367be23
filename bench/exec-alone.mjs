// The floor of an action that runs one command before its first request, as canary-shift and
// rollback with the command provider do (the shift or rollback command, then the probe): a bundle of
// @actions/core and @actions/exec alone that runs `true` through @actions/exec (which looks it up on
// PATH, as the provider does) and then sends one GET to its url input. bench/run.mjs bundles it with
// scripts/bundle.js, as the actions are bundled, and prints those two rows against it (information
// next to the goal against @actions/core alone, not a goal of its own).
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { sendOneGet } from './send-one-get.mjs';

const url = core.getInput('url');
await getExecOutput('true', [], { silent: true });
sendOneGet(url);
