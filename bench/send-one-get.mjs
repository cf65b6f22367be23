// The one request a floor bundle (bench/core-alone.mjs, bench/exec-alone.mjs) sends: a GET to
// `url` over node:http, its body read, then the process exits (1, with the error as the step's
// failure, when the request fails).
import * as core from '@actions/core';
import { get } from 'node:http';

export function sendOneGet(url) {
  get(url, (response) => {
    response.resume();
    response.on('end', () => process.exit(0));
  }).on('error', (error) => {
    core.setFailed(error.message);
    process.exit(1);
  });
}
