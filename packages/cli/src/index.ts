import { main } from './main.js';

const code = await main(process.argv.slice(2));
// Exit now with the action's code: nothing left open may keep the terminal waiting.
process.exit(code);
