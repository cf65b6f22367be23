// The floor an action's start-up is measured against: a bundle of @actions/core alone that reads
// one input and sends one GET to it, as every action of ours must do before its first request
// (with no url input it exits at once: the start-up alone, for build-cache-key's floor).
// bench/run.mjs bundles it with scripts/bundle.js, as scripts/build.js bundles the actions.
import * as core from '@actions/core';
import { sendOneGet } from './send-one-get.mjs';

const url = core.getInput('url');
if (!url) process.exit(0);
sendOneGet(url);
