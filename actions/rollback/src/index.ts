import { run } from './main.js';

await run();
// Exit now: a stray keep-alive socket or timer must never keep the job step hanging.
process.exit();
